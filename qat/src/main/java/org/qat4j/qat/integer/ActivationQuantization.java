package org.qat4j.qat.integer;

/**
 * The quantization of an activation tensor in the integer engine: an unsigned grid
 * {@code [0, 2^b - 1]} with zero point {@code z} and scale {@code s}, so the real value of an
 * integer {@code x_int} is {@code s * (x_int - z)}. Values are stored one per byte.
 *
 * <p>The scale is metadata for inspection; the engine computes with integers only.
 *
 * @param bitWidth {@code b}, 2 to 8
 * @param zeroPoint {@code z}, on the grid
 * @param scale {@code s}, positive and finite
 */
public record ActivationQuantization(int bitWidth, int zeroPoint, double scale) {

    /**
     * The input quantization of raw 8-bit pixels: {@code s = 1/255} rounded to float32, as the
     * input quantizer and the model file hold it, and {@code z = 0}.
     */
    public static final ActivationQuantization RAW_PIXELS = new ActivationQuantization(8, 0, (float) (1.0 / 255.0));

    public ActivationQuantization {
        if (bitWidth < 2 || bitWidth > 8) {
            throw new IllegalArgumentException("Activation bit width " + bitWidth
                    + " is out of range: the integer engine stores activations in bytes, use 2 to 8.");
        }
        int qmax = (1 << bitWidth) - 1;
        if (zeroPoint < 0 || zeroPoint > qmax) {
            throw new IllegalArgumentException("Activation zero point " + zeroPoint + " is outside the "
                    + bitWidth + "-bit unsigned grid [0, " + qmax + "].");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Activation scale " + scale + " is invalid: it must be positive and finite.");
        }
    }

    /** Lowest grid value, 0. */
    public int qmin() {
        return 0;
    }

    /** Highest grid value, {@code 2^b - 1}. */
    public int qmax() {
        return (1 << bitWidth) - 1;
    }

    /** Largest {@code |x_int - z|} on the grid. */
    public int maxAbsCentered() {
        return Math.max(zeroPoint, qmax() - zeroPoint);
    }
}
