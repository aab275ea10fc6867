package org.qat4j.autograd;

/**
 * Per-thread {@code double[]} and {@code float[]} work arrays that the Java kernels reuse from
 * call to call, so a training step does not churn the Java heap. Each caller uses its own slot,
 * and an array taken from a slot is valid until the same thread takes that slot again.
 */
public final class Scratch {

    /** Number of slots; kernels use the constants below. */
    public static final int SLOTS = 8;
    public static final int INPUT = 0;
    public static final int OUTPUT = 1;
    public static final int ROW = 2;
    public static final int ROW2 = 3;
    public static final int OPTIMIZER = 4;

    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[SLOTS][]);
    private static final ThreadLocal<float[][]> FLOAT_ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {
    }

    /** Returns a work array of at least {@code length} elements; its contents are undefined. */
    public static double[] doubles(int slot, int length) {
        double[][] arrays = ARRAYS.get();
        double[] array = arrays[slot];
        if (array == null || array.length < length) {
            array = new double[length];
            arrays[slot] = array;
        }
        return array;
    }

    /** Returns a {@code float[]} work array of at least {@code length} elements; its contents are undefined. */
    public static float[] floats(int slot, int length) {
        float[][] arrays = FLOAT_ARRAYS.get();
        float[] array = arrays[slot];
        if (array == null || array.length < length) {
            array = new float[length];
            arrays[slot] = array;
        }
        return array;
    }
}
