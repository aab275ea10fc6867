package org.qat4j.qat.integer;

import java.util.Arrays;

/**
 * The requantization step of a layer, per output channel {@code c}:
 * {@code y_int = clamp(z_y + round(M_c * acc), qmin, qmax)} with {@code M_c = s_w[c] * s_x / s_y}
 * held as a {@link FixedPointMultiplier} (one rounding, half to even). A ReLU that follows the
 * layer is the clamp at {@code z_y}: the lower bound becomes {@code max(qmin, z_y)}.
 */
public final class Requantizer {

    private final ActivationQuantization output;
    private final int qmin;
    private final int qmax;
    private final boolean relu;
    private final FixedPointMultiplier[] multipliers;

    // Flattened per-channel parts of the multipliers for the engine's inner loop.
    private final long[] fixedMultipliers;
    private final int[] shifts;
    private final long[] remainderMasks;
    private final long[] halves;
    private final int lowerBound;

    /**
     * @param output grid, zero point {@code z_y} and scale {@code s_y} of the output
     * @param qmin lowest output value before the ReLU clamp, within {@code output}'s grid
     * @param qmax highest output value, within {@code output}'s grid
     * @param relu whether a ReLU follows (clamp at {@code z_y})
     * @param multipliers one per output channel
     */
    public Requantizer(ActivationQuantization output, int qmin, int qmax, boolean relu,
                       FixedPointMultiplier[] multipliers) {
        if (qmin < output.qmin() || qmax > output.qmax() || qmin > qmax) {
            throw new IllegalArgumentException("Output range [" + qmin + ", " + qmax + "] is invalid: it must be a "
                    + "non-empty range inside the " + output.bitWidth() + "-bit grid [0, " + output.qmax() + "].");
        }
        if (output.zeroPoint() < qmin || output.zeroPoint() > qmax) {
            throw new IllegalArgumentException("Output zero point " + output.zeroPoint() + " lies outside the output range ["
                    + qmin + ", " + qmax + "], so real zero is not representable.");
        }
        if (multipliers.length == 0) {
            throw new IllegalArgumentException("A requantizer needs at least one output channel multiplier.");
        }
        this.output = output;
        this.qmin = qmin;
        this.qmax = qmax;
        this.relu = relu;
        this.multipliers = multipliers.clone();

        int channels = multipliers.length;
        this.fixedMultipliers = new long[channels];
        this.shifts = new int[channels];
        this.remainderMasks = new long[channels];
        this.halves = new long[channels];
        for (int c = 0; c < channels; c++) {
            int shift = multipliers[c].shift();
            fixedMultipliers[c] = multipliers[c].multiplier();
            shifts[c] = shift;
            remainderMasks[c] = (1L << shift) - 1;
            halves[c] = shift == 0 ? Long.MAX_VALUE : 1L << (shift - 1);
        }
        this.lowerBound = relu ? Math.max(qmin, output.zeroPoint()) : qmin;
    }

    /** Creates the usual requantizer: the full unsigned grid of {@code output}, optional ReLU. */
    public static Requantizer fullRange(ActivationQuantization output, boolean relu, FixedPointMultiplier[] multipliers) {
        return new Requantizer(output, output.qmin(), output.qmax(), relu, multipliers);
    }

    /**
     * Requantizes {@code count} accumulators of one channel: element {@code i} is
     * {@code products[productOffset + i * productStride] + bias}, written as a byte to
     * {@code out[outOffset + i * outStride]}. Same arithmetic as
     * {@link FixedPointMultiplier#requantize(long, int, int, int)} with the ReLU lower bound, unrolled for
     * the inner loop; the sum fits in int32 and its product with {@code M0} in 64 bits.
     */
    void requantizeChannel(int channel, int bias, int[] products, int productOffset, int productStride, int count,
                           byte[] out, int outOffset, int outStride) {
        long multiplier = fixedMultipliers[channel];
        int shift = shifts[channel];
        long mask = remainderMasks[channel];
        long half = halves[channel];
        long zeroPoint = output.zeroPoint();
        for (int i = 0, p = productOffset, o = outOffset; i < count; i++, p += productStride, o += outStride) {
            long product = (products[p] + bias) * multiplier;
            long quotient = product >> shift;
            long rounded = quotient + ((half - (product & mask) - (quotient & 1)) >>> 63);
            out[o] = (byte) Math.max(lowerBound, Math.min(qmax, rounded + zeroPoint));
        }
    }

    /** Grid, zero point and scale of the output. */
    public ActivationQuantization output() {
        return output;
    }

    /** Lowest output value before the ReLU clamp. */
    public int qmin() {
        return qmin;
    }

    /** Highest output value. */
    public int qmax() {
        return qmax;
    }

    /** Lowest value actually produced: {@code max(qmin, z_y)} with ReLU, else {@code qmin}. */
    public int lowerBound() {
        return lowerBound;
    }

    /** Whether a ReLU follows (clamp at {@code z_y}). */
    public boolean relu() {
        return relu;
    }

    /** Number of output channels. */
    public int channels() {
        return multipliers.length;
    }

    /** The multiplier of output channel {@code c}. */
    public FixedPointMultiplier multiplier(int channel) {
        return multipliers[channel];
    }

    @Override
    public String toString() {
        return "Requantizer[z_y=" + output.zeroPoint() + ", range=[" + qmin + ", " + qmax + "], relu=" + relu
                + ", channels=" + multipliers.length + ", shifts=" + Arrays.toString(shifts) + "]";
    }
}
