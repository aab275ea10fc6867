package org.qat4j.qat.integer;

/**
 * A positive real multiplier {@code M} held as a 32-bit fixed-point multiplier {@code M0} in
 * {@code [2^30, 2^31)} and a right shift {@code k}, so that {@code M ~ M0 * 2^-k}, as in
 * integer-only inference (Jacob et al., "Quantization and Training of Neural Networks for
 * Efficient Integer-Arithmetic-Only Inference", CVPR 2018).
 *
 * <p>{@code M0 = rint(M * 2^k)} with {@code k = 30 - floor(log2 M)}, so the relative error
 * {@code |M0 * 2^-k - M| / M} is at most {@code 2^-31}. Supported multipliers give
 * {@code 0 <= k <= 62}, which is {@code 2^-32 <= M < 2^30} after rounding.
 *
 * <p>{@link #requantize(long)} forms the product {@code acc * M0} exactly (in 64 bits, or in
 * 128 bits when the accumulator is wider than int32) and rounds it once, half to even, by the
 * shift. Kernels that round twice (a rounded high multiply, then a rounded shift) differ by one
 * unit on some ties. With a single rounding, an exact simulation matches the integer engine bit
 * for bit.
 */
public final class FixedPointMultiplier {

    /** Smallest shift: {@code M0 * 2^0} with {@code M0 < 2^31}. */
    public static final int MIN_SHIFT = 0;

    /**
     * Largest shift. The product of an int32 accumulator and {@code M0} is below {@code 2^62}
     * in magnitude, so shifts up to 62 round the exact 64-bit product.
     */
    public static final int MAX_SHIFT = 62;

    private static final long MULTIPLIER_MIN = 1L << 30;
    private static final long MULTIPLIER_LIMIT = 1L << 31;

    private final double realMultiplier;
    private final int multiplier;
    private final int shift;
    private final long remainderMask;
    private final long half;

    private FixedPointMultiplier(double realMultiplier, int multiplier, int shift) {
        this.realMultiplier = realMultiplier;
        this.multiplier = multiplier;
        this.shift = shift;
        this.remainderMask = (1L << shift) - 1;
        // With k = 0 nothing is rounded: a half that no remainder can exceed disables the step.
        this.half = shift == 0 ? Long.MAX_VALUE : 1L << (shift - 1);
    }

    /**
     * Computes {@code M0} and {@code k} for the real multiplier {@code m}.
     *
     * @param layerName named in the error message
     * @throws IllegalArgumentException if {@code m} is not a positive finite number or needs a
     *     shift outside {@code [0, 62]}
     */
    public static FixedPointMultiplier of(double m, String layerName) {
        if (Double.isNaN(m) || Double.isInfinite(m) || m <= 0) {
            throw new IllegalArgumentException(layerName + ": requantization multiplier " + m
                    + " is invalid: it must be a positive finite number (M = s_w * s_x / s_y; check the scales).");
        }

        int shift = 30 - Math.getExponent(m);
        // Rounding up to 2^31 lowers the shift by one, so 63 may still end in range.
        if (shift > MAX_SHIFT + 1 || shift < MIN_SHIFT) {
            throw outOfRange(m, shift, layerName);
        }
        // scalb by a power of two is exact for normal numbers, and rint rounds half to even.
        long scaled = (long) Math.rint(Math.scalb(m, shift));
        if (scaled == MULTIPLIER_LIMIT) {
            scaled = MULTIPLIER_MIN;
            shift -= 1;
        }
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            throw outOfRange(m, shift, layerName);
        }
        return new FixedPointMultiplier(m, (int) scaled, shift);
    }

    /**
     * Computes the requantization multiplier of a layer channel from its scales,
     * {@code M = s_w * s_x / s_y}, evaluated in double in exactly this order. Java double
     * arithmetic is deterministic, so the model file recomputes a bit-identical multiplier from the
     * stored scales. It rejects multipliers that differ from this method's result.
     */
    public static FixedPointMultiplier forScales(double weightScale, double inputScale, double outputScale,
                                                 String layerName) {
        return of(weightScale * inputScale / outputScale, layerName);
    }

    /**
     * Creates a multiplier from stored {@code M0} and {@code k}, as read from a model file; its
     * {@link #realMultiplier()} is {@code M0 * 2^-k}.
     */
    public static FixedPointMultiplier fromParts(int multiplier, int shift, String layerName) {
        if (multiplier < MULTIPLIER_MIN) {
            throw new IllegalArgumentException(layerName + ": fixed-point multiplier M0 = " + multiplier
                    + " is out of range: it must lie in [2^30, 2^31).");
        }
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            throw new IllegalArgumentException(layerName + ": shift " + shift + " is out of range: use "
                    + MIN_SHIFT + " to " + MAX_SHIFT + ".");
        }
        return new FixedPointMultiplier(Math.scalb((double) multiplier, -shift), multiplier, shift);
    }

    private static IllegalArgumentException outOfRange(double m, int shift, String layerName) {
        return new IllegalArgumentException(layerName + ": requantization multiplier " + m
                + " needs shift " + shift + ", outside the supported range [" + MIN_SHIFT + ", " + MAX_SHIFT
                + "] (M must lie in [2^-32, 2^30)); check the weight, input and output scales of this layer.");
    }

    /** The fixed-point multiplier {@code M0}, in {@code [2^30, 2^31)}. */
    public int multiplier() {
        return multiplier;
    }

    /** The right shift {@code k}. */
    public int shift() {
        return shift;
    }

    /**
     * The real multiplier {@code M} this was computed from (metadata for inspection); a model file
     * does not store it, and loading recomputes it from the scales.
     */
    public double realMultiplier() {
        return realMultiplier;
    }

    /** The value {@code M0 * 2^-k} as a double (exact: {@code M0} has 31 significant bits). */
    public double approximation() {
        return Math.scalb((double) multiplier, -shift);
    }

    /**
     * Returns {@code round(acc * M0 / 2^k)}, rounded once, half to even, exactly. A result that
     * does not fit in a long saturates to {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}.
     */
    public long requantize(long acc) {
        if (acc == (int) acc) {
            return requantize((int) acc);
        }
        return requantizeWide(acc);
    }

    /** Returns {@code round(acc * M0 / 2^k)} for an int32 accumulator, where the product fits in 64 bits. */
    public long requantize(int acc) {
        long product = (long) acc * multiplier;
        long quotient = product >> shift;
        long remainder = product & remainderMask;
        // Round up when remainder + (quotient odd) > half: above half, or an exact tie with an odd quotient.
        return quotient + ((half - remainder - (quotient & 1)) >>> 63);
    }

    /**
     * Returns {@code clamp(zeroPoint + round(acc * M0 / 2^k), qmin, qmax)}, saturating: an
     * accumulator of any size lands on a grid end, never wraps.
     */
    public int requantize(long acc, int zeroPoint, int qmin, int qmax) {
        long rounded = requantize(acc);
        long shifted = rounded + zeroPoint;
        // Overflow of the addition happens only when the signs agree and the result's sign differs.
        if (((rounded ^ shifted) & (zeroPoint ^ shifted)) < 0) {
            shifted = rounded < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return (int) Math.max(qmin, Math.min(qmax, shifted));
    }

    private long requantizeWide(long acc) {
        // 128-bit product (high:low), then a floor shift by k, then one half-to-even correction.
        long low = acc * multiplier;
        long high = Math.multiplyHigh(acc, multiplier);

        long quotientLow;
        long quotientHigh;
        long remainder;
        if (shift == 0) {
            quotientLow = low;
            quotientHigh = high;
            remainder = 0;
        } else {
            quotientLow = (low >>> shift) | (high << (64 - shift));
            quotientHigh = high >> shift;
            remainder = low & remainderMask;
        }

        if (remainder > half || (remainder == half && (quotientLow & 1) == 1)) {
            quotientLow += 1;
            if (quotientLow == 0) {
                quotientHigh += 1;
            }
        }

        boolean fitsInLong = quotientHigh == (quotientLow >> 63);
        if (fitsInLong) {
            return quotientLow;
        }
        return quotientHigh < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "FixedPointMultiplier[M=" + realMultiplier + ", M0=" + multiplier + ", k=" + shift + "]";
    }
}
