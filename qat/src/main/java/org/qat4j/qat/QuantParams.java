package org.qat4j.qat;

import java.util.Arrays;
import java.util.Objects;

/**
 * Scales {@code s} and integer zero points {@code z} of a quantizer, one pair per channel along
 * {@code axis}, or a single pair when {@code axis} is {@link QuantSpec#PER_TENSOR}.
 *
 * <p>Scales are float32 values (held in doubles) because the training model and the exported model
 * both store them in float32. Every scale is positive and finite, and every zero point lies on the grid.
 */
public final class QuantParams {

    /** Smallest scale a quantizer uses. Smaller scales (and 0) are raised to it. */
    public static final double MIN_SCALE = 1e-8;

    private final QuantGrid grid;
    private final int axis;
    private final double[] scale;
    private final int[] zeroPoint;

    public QuantParams(QuantGrid grid, int axis, double[] scale, int[] zeroPoint) {
        this.grid = Objects.requireNonNull(grid, "grid");
        if (scale.length == 0 || scale.length != zeroPoint.length) {
            throw new IllegalArgumentException("Expected as many zero points as scales (at least one), found "
                    + scale.length + " scales and " + zeroPoint.length + " zero points.");
        }
        if (axis == QuantSpec.PER_TENSOR && scale.length != 1) {
            throw new IllegalArgumentException("Per-tensor parameters need one scale, found " + scale.length + ".");
        }
        for (int c = 0; c < scale.length; c++) {
            if (!(scale[c] > 0) || Double.isInfinite(scale[c])) {
                throw new IllegalArgumentException("Scale " + scale[c] + " of channel " + c
                        + " is invalid: a scale must be positive and finite.");
            }
            if (zeroPoint[c] < grid.qmin() || zeroPoint[c] > grid.qmax()) {
                throw new IllegalArgumentException("Zero point " + zeroPoint[c] + " of channel " + c
                        + " is outside the grid " + grid + ".");
            }
        }
        this.axis = axis;
        this.scale = scale.clone();
        this.zeroPoint = zeroPoint.clone();
    }

    public static QuantParams perTensor(QuantGrid grid, double scale, int zeroPoint) {
        return new QuantParams(grid, QuantSpec.PER_TENSOR, new double[] {scale}, new int[] {zeroPoint});
    }

    /**
     * Computes scale and zero point per channel from observed ranges {@code [min[c], max[c]]} following
     * the spec's scheme (see {@link QuantScheme}). A range whose widened span is 0 (an all-zero tensor)
     * gets scale 1, since every scale represents 0 exactly; other scales are raised to at least
     * {@link #MIN_SCALE} and, when {@link QuantSpec#powerOfTwoScale()} is set, rounded up to a power of two.
     */
    public static QuantParams fromRange(QuantSpec spec, double[] min, double[] max) {
        if (min.length != max.length) {
            throw new IllegalArgumentException("Expected as many minima as maxima, found " + min.length
                    + " and " + max.length + ".");
        }
        int channels = min.length;
        double[] scale = new double[channels];
        int[] zeroPoint = new int[channels];
        for (int c = 0; c < channels; c++) {
            if (!Double.isFinite(min[c]) || !Double.isFinite(max[c]) || min[c] > max[c]) {
                throw new IllegalArgumentException("Range [" + min[c] + ", " + max[c] + "] of channel " + c
                        + " is invalid: expected finite values with min <= max.");
            }
            double lo = Math.min(min[c], 0.0);
            double hi = Math.max(max[c], 0.0);
            scale[c] = scaleForRange(spec, lo, hi);
            zeroPoint[c] = zeroPointFor(spec, lo, scale[c]);
        }
        return new QuantParams(spec.grid(), spec.axis(), scale, zeroPoint);
    }

    /** Computes the scale for a range that already includes 0, rounded to float32 and kept positive. */
    static double scaleForRange(QuantSpec spec, double lo, double hi) {
        QuantGrid grid = spec.grid();
        double s;
        if (spec.scheme() == QuantScheme.ASYMMETRIC) {
            s = (hi - lo) / (grid.qmax() - grid.qmin());
        } else if (grid.qmin() < 0) {
            s = Math.max(hi / grid.qmax(), lo / grid.qmin());
        } else {
            s = hi / grid.qmax();
        }
        if (s == 0.0) {
            s = 1.0;
        }
        return normalizeScale(s, spec.powerOfTwoScale());
    }

    /** Rounds a raw scale to float32, raises it to {@link #MIN_SCALE} and optionally to a power of two. */
    public static double normalizeScale(double s, boolean powerOfTwo) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("Scale " + s + " is invalid: a scale must be positive and finite.");
        }
        double result = Math.max(s, MIN_SCALE);
        if (powerOfTwo) {
            result = powerOfTwoAtLeast(result);
        }
        return (float) result;
    }

    /** Returns the smallest power of two that is {@code >= s}, for {@code s > 0}. */
    public static double powerOfTwoAtLeast(double s) {
        double down = Math.scalb(1.0, Math.getExponent(s));
        return down == s ? s : down * 2.0;
    }

    /** Computes {@code z = qmin - round(lo / s)} for the asymmetric scheme (clamped to the grid), else 0. */
    static int zeroPointFor(QuantSpec spec, double lo, double s) {
        if (spec.scheme() == QuantScheme.SYMMETRIC) {
            return 0;
        }
        QuantGrid grid = spec.grid();
        double z = grid.qmin() - Math.rint(lo / s);
        return (int) Math.max(grid.qmin(), Math.min(grid.qmax(), z));
    }

    public QuantGrid grid() {
        return grid;
    }

    /** Returns the channel axis, or {@link QuantSpec#PER_TENSOR}. */
    public int axis() {
        return axis;
    }

    public int channels() {
        return scale.length;
    }

    public double scale(int channel) {
        return scale[channel];
    }

    public int zeroPoint(int channel) {
        return zeroPoint[channel];
    }

    public double[] scales() {
        return scale.clone();
    }

    public int[] zeroPoints() {
        return zeroPoint.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuantParams p && p.grid.equals(grid) && p.axis == axis
                && Arrays.equals(p.scale, scale) && Arrays.equals(p.zeroPoint, zeroPoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(grid, axis, Arrays.hashCode(scale), Arrays.hashCode(zeroPoint));
    }

    @Override
    public String toString() {
        if (scale.length == 1 && axis == QuantSpec.PER_TENSOR) {
            return "QuantParams(" + grid + ", s=" + scale[0] + ", z=" + zeroPoint[0] + ")";
        }
        return "QuantParams(" + grid + ", axis=" + axis + ", s=" + Arrays.toString(scale)
                + ", z=" + Arrays.toString(zeroPoint) + ")";
    }
}
