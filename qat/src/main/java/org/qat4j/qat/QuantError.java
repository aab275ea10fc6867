package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean squared quantization error of a tensor, split into clipping error (values outside the
 * representable range {@code [s * (qmin - z), s * (qmax - z)]}) and rounding error (values inside).
 * Both parts are divided by the total number of elements, so they add up to the MSE. A smaller scale
 * lowers the rounding error and raises the clipping error.
 *
 * @param scale          the scale {@code s}
 * @param clippingError  sum of {@code (x - x_hat)^2} over clipped elements, divided by the element count
 * @param roundingError  sum of {@code (x - x_hat)^2} over the other elements, divided by the element count
 */
public record QuantError(double scale, double clippingError, double roundingError) {

    public double total() {
        return clippingError + roundingError;
    }

    /**
     * Computes the error split of {@code x} for each candidate scale, with a fixed zero point, in double
     * precision. An element is clipped when {@code round(x / s) + z} falls outside {@code [qmin, qmax]}.
     */
    public static QuantError[] sweep(INDArray x, QuantGrid grid, int zeroPoint, double[] scales, String tensorName) {
        double[] values = ChannelStatistics.values(x, tensorName);
        QuantError[] result = new QuantError[scales.length];
        for (int k = 0; k < scales.length; k++) {
            result[k] = of(values, grid, scales[k], zeroPoint);
        }
        return result;
    }

    static QuantError of(double[] values, QuantGrid grid, double scale, int zeroPoint) {
        return of(values, grid.qmin(), grid.qmax(), scale, zeroPoint);
    }

    /**
     * Computes the error split of {@code values} on the integer range {@code [qmin, qmax]} for one
     * scale and zero point, in double precision.
     */
    public static QuantError of(double[] values, int qmin, int qmax, double scale, int zeroPoint) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Candidate scale " + scale + " is invalid: use a positive finite value.");
        }
        double lo = qmin - zeroPoint;
        double hi = qmax - zeroPoint;
        double clipping = 0;
        double rounding = 0;
        for (double v : values) {
            double r = Math.rint(v / scale);
            if (r < lo || r > hi) {
                double d = v - scale * Math.max(lo, Math.min(hi, r));
                clipping += d * d;
            } else {
                double d = v - scale * r;
                rounding += d * d;
            }
        }
        int n = Math.max(1, values.length);
        return new QuantError(scale, clipping / n, rounding / n);
    }

    /** Computes the MSE of fake-quantizing {@code values} with scale {@code s} and zero point {@code z}. */
    static double mse(float[] values, QuantGrid grid, double s, int z) {
        double lo = grid.qmin() - z;
        double hi = grid.qmax() - z;
        double sum = 0;
        for (float v : values) {
            double r = Rounding.rintSmall(Math.min(Math.max(v / s, lo), hi));
            double d = v - s * r;
            sum += d * d;
        }
        return sum / Math.max(1, values.length);
    }
}
