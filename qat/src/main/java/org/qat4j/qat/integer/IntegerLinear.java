package org.qat4j.qat.integer;

/**
 * A fully connected layer in integers: {@code acc_c = bias_int[c] + sum_k W_int[c, k] * (x_int[k] - z_x)}
 * for each output feature {@code c}, requantized to bytes or, in the last layer, returned as
 * int32 accumulators. See {@link IntegerWeightedLayer} for the arithmetic.
 */
public final class IntegerLinear extends IntegerWeightedLayer {

    /**
     * @param weights {@code W_int} in row-major {@code [outFeatures, inFeatures]} order
     * @param weightScales {@code s_w[c]}, metadata
     * @param bias {@code bias_int[c]}
     * @param requantizer null for the last layer (int32 accumulators out)
     */
    public IntegerLinear(String name, int inFeatures, int outFeatures, int weightBitWidth, byte[] weights,
                         double[] weightScales, int[] bias, ActivationQuantization input, Requantizer requantizer) {
        super(name, new int[] {inFeatures}, new int[] {outFeatures}, outFeatures, inFeatures, weightBitWidth,
                weights, weightScales, bias, input, requantizer);
    }

    /** Number of input features. */
    public int inFeatures() {
        return fanIn();
    }

    /** Number of output features. */
    public int outFeatures() {
        return outChannels();
    }

    @Override
    void forward(byte[] input, int n, byte[] output, Workspace workspace) {
        requireRequantizer();
        multiplyRows(input, 0, fanIn(), 1, n, 1, output, null, 0, workspace);
    }

    @Override
    void accumulate(byte[] input, int n, int[] output, Workspace workspace) {
        multiplyRows(input, 0, fanIn(), 1, n, 1, null, output, 0, workspace);
    }
}
