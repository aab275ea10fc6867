package org.qat4j.qat;

/**
 * Loops over c-order data for fake quantization and its gradients, in float32 and float64.
 *
 * <p>With {@code lo = qmin - z} and {@code hi = qmax - z} the clamped integer offset is
 * {@code r = round(clamp(x / s, lo, hi))}, which equals {@code clamp(round(x / s), lo, hi)} because
 * rounding is monotone and {@code lo}, {@code hi} are integers. Clamping first keeps the fast
 * round-half-to-even exact. Then {@code x_int = r + z} and {@code x_hat = s * r}.
 */
final class FakeQuantKernels {

    private FakeQuantKernels() {
    }

    /** Writes {@code s * r} (when {@code dequantize}) or {@code r + z} into {@code out}. */
    static void forward(float[] x, float[] out, float[] scale, float[] zeroPoint, int qmin, int qmax,
                        ChannelLayout layout, boolean dequantize) {
        int inner = layout.inner;
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * inner;
                float s = scale[c];
                float z = zeroPoint[c];
                float lo = qmin - z;
                float hi = qmax - z;
                if (dequantize) {
                    for (int i = base; i < base + inner; i++) {
                        float t = Math.min(Math.max(x[i] / s, lo), hi);
                        out[i] = Rounding.rintSmall(t) * s;
                    }
                } else {
                    for (int i = base; i < base + inner; i++) {
                        float t = Math.min(Math.max(x[i] / s, lo), hi);
                        out[i] = Rounding.rintSmall(t) + z;
                    }
                }
            }
        }
    }

    static void forward(double[] x, double[] out, double[] scale, double[] zeroPoint, int qmin, int qmax,
                        ChannelLayout layout, boolean dequantize) {
        int inner = layout.inner;
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * inner;
                double s = scale[c];
                double z = zeroPoint[c];
                double lo = qmin - z;
                double hi = qmax - z;
                for (int i = base; i < base + inner; i++) {
                    double r = Rounding.rintSmall(Math.min(Math.max(x[i] / s, lo), hi));
                    out[i] = dequantize ? r * s : r + z;
                }
            }
        }
    }

    /**
     * Computes the gradients of {@code x_hat = s * (clamp(round(x/s) + z, qmin, qmax) - z)} with the
     * straight-through estimator for round: {@code dx} (1 where {@code round(x/s) + z} is on the grid,
     * else 0), and per channel the sums of {@code gradOut * d x_hat/d s} and {@code gradOut * d x_hat/d z},
     * where {@code d x_hat/d s} is {@code round(x/s) - x/s} inside, {@code qmin - z} below and
     * {@code qmax - z} above, and {@code d x_hat/d z} is 0 inside and {@code -s} outside.
     * Any of {@code gradX}, {@code gradScale}, {@code gradZeroPoint} may be null when not needed.
     */
    static void backward(float[] x, float[] gradOut, float[] scale, float[] zeroPoint, int qmin, int qmax,
                         ChannelLayout layout, float[] gradX, double[] gradScale, double[] gradZeroPoint) {
        int inner = layout.inner;
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * inner;
                float s = scale[c];
                float lo = qmin - zeroPoint[c];
                float hi = qmax - zeroPoint[c];
                double sumScale = 0;
                double sumOutside = 0;
                for (int i = base; i < base + inner; i++) {
                    float t = x[i] / s;
                    // Rounding after clamping to [lo - 1, hi + 1] keeps the test exact and cheap.
                    float r = Rounding.rintSmall(Math.min(Math.max(t, lo - 1), hi + 1));
                    float g = gradOut[i];
                    if (r < lo) {
                        if (gradX != null) {
                            gradX[i] = 0f;
                        }
                        sumScale += (double) g * lo;
                        sumOutside += g;
                    } else if (r > hi) {
                        if (gradX != null) {
                            gradX[i] = 0f;
                        }
                        sumScale += (double) g * hi;
                        sumOutside += g;
                    } else {
                        if (gradX != null) {
                            gradX[i] = g;
                        }
                        sumScale += (double) g * (r - t);
                    }
                }
                if (gradScale != null) {
                    gradScale[c] += sumScale;
                }
                if (gradZeroPoint != null) {
                    gradZeroPoint[c] += -s * sumOutside;
                }
            }
        }
    }

    static void backward(double[] x, double[] gradOut, double[] scale, double[] zeroPoint, int qmin, int qmax,
                         ChannelLayout layout, double[] gradX, double[] gradScale, double[] gradZeroPoint) {
        int inner = layout.inner;
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * inner;
                double s = scale[c];
                double lo = qmin - zeroPoint[c];
                double hi = qmax - zeroPoint[c];
                double sumScale = 0;
                double sumOutside = 0;
                for (int i = base; i < base + inner; i++) {
                    double t = x[i] / s;
                    double r = Rounding.rintSmall(Math.min(Math.max(t, lo - 1), hi + 1));
                    double g = gradOut[i];
                    boolean inside = r >= lo && r <= hi;
                    if (gradX != null) {
                        gradX[i] = inside ? g : 0.0;
                    }
                    if (inside) {
                        sumScale += g * (r - t);
                    } else {
                        sumScale += g * (r < lo ? lo : hi);
                        sumOutside += g;
                    }
                }
                if (gradScale != null) {
                    gradScale[c] += sumScale;
                }
                if (gradZeroPoint != null) {
                    gradZeroPoint[c] += -s * sumOutside;
                }
            }
        }
    }
}
