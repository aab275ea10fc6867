package org.qat4j.qat;

/**
 * Round half to even, the rounding of ONNX QuantizeLinear and PyTorch ({@code 2.5 -> 2},
 * {@code -1.5 -> -2}, {@code 0.5 -> 0}), with the same results as {@link Math#rint}.
 *
 * <p>The fast forms add and subtract {@code 1.5 * 2^23} (float) or {@code 1.5 * 2^52} (double): the
 * addition rounds to an integer with the current IEEE mode, which is half to even. They are exact only
 * for {@code |t| <= 2^22} (float) and {@code |t| <= 2^51} (double); callers clamp to the integer grid
 * first, which keeps {@code |t|} below {@code 2^17}.
 */
public final class Rounding {

    /** {@code 1.5 * 2^23}: adding and subtracting it rounds a float to an integer. */
    static final float FLOAT_MAGIC = 12582912f;
    private static final double DOUBLE_MAGIC = 6755399441055744.0;

    /** Largest {@code |t|} for which {@link #rintSmall(float)} is exact. */
    public static final float FLOAT_FAST_LIMIT = 4194304f;

    private Rounding() {
    }

    /** Rounds half to even; exact only for {@code |t| <= 2^22}. */
    public static float rintSmall(float t) {
        return (t + FLOAT_MAGIC) - FLOAT_MAGIC;
    }

    /** Rounds half to even; exact only for {@code |t| <= 2^51}. */
    public static double rintSmall(double t) {
        return (t + DOUBLE_MAGIC) - DOUBLE_MAGIC;
    }

    /** Rounds half to even for every float. */
    public static float rint(float t) {
        return Math.abs(t) <= FLOAT_FAST_LIMIT ? rintSmall(t) : (float) Math.rint(t);
    }
}
