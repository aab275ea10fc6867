package org.qat4j.qat.integer;

import java.util.Arrays;

/**
 * A layer of the integer engine. Activations are unsigned integers stored one per byte in
 * NCHW order (a sample's values are contiguous); shapes are per sample, without the batch
 * dimension. A weighted layer without a {@link Requantizer} is the model's last layer and
 * outputs int32 accumulators instead of bytes.
 */
public abstract sealed class IntegerLayer permits IntegerWeightedLayer, IntegerMaxPool2d, IntegerFlatten {

    private final String name;
    private final int[] inputShape;
    private final int[] outputShape;

    IntegerLayer(String name, int[] inputShape, int[] outputShape) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A layer needs a non-blank name for error messages and the model file.");
        }
        this.name = name;
        this.inputShape = inputShape.clone();
        this.outputShape = outputShape.clone();
    }

    /** The layer's name, used in error messages and stored in the model file. */
    public String name() {
        return name;
    }

    /** Shape of one input sample ({@code [C, H, W]} or {@code [features]}). */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Shape of one output sample. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** Number of values in one input sample. */
    public int inputSize() {
        return product(inputShape);
    }

    /** Number of values in one output sample. */
    public int outputSize() {
        return product(outputShape);
    }

    /** Whether the layer outputs int32 accumulators (last layer) rather than requantized bytes. */
    public boolean producesAccumulators() {
        return false;
    }

    /**
     * Runs the layer on {@code n} samples: reads {@code n * inputSize()} bytes from {@code input}
     * and writes {@code n * outputSize()} bytes to {@code output}.
     */
    abstract void forward(byte[] input, int n, byte[] output, Workspace workspace);

    static int product(int[] shape) {
        long size = 1;
        for (int dimension : shape) {
            size *= dimension;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " has more than 2^31 - 1 elements.");
        }
        return (int) size;
    }

    static void requirePositive(String layerName, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layerName + ": " + what + " " + value + " is invalid: it must be positive.");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + Arrays.toString(inputShape) + " -> "
                + Arrays.toString(outputShape) + "]";
    }
}
