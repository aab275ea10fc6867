package org.qat4j.qat.integer;

/**
 * Flattens a sample's {@code [C, H, W]} activations to {@code [C * H * W]} features. NCHW data
 * is already in that order, so the values are copied unchanged.
 */
public final class IntegerFlatten extends IntegerLayer {

    public IntegerFlatten(String name, int[] inputShape) {
        super(name, inputShape, new int[] {product(inputShape)});
        for (int dimension : inputShape) {
            requirePositive(name, "input dimension", dimension);
        }
    }

    @Override
    void forward(byte[] input, int n, byte[] output, Workspace workspace) {
        System.arraycopy(input, 0, output, 0, n * inputSize());
    }
}
