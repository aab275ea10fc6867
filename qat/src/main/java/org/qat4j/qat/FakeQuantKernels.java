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

    /** Elements per block of the float backward pass: its temporaries stay in the L1 cache. */
    private static final int CHUNK = 2048;

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
     * {@code gradScale} and {@code gradZeroPoint} may be null when not needed.
     */
    static void backward(float[] x, float[] gradOut, float[] scale, float[] zeroPoint, int qmin, int qmax,
                         ChannelLayout layout, float[] gradX, double[] gradScale, double[] gradZeroPoint) {
        int inner = layout.inner;
        BackwardChunk chunk = new BackwardChunk(Math.min(CHUNK, inner));
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * inner;
                float s = scale[c];
                float lo = qmin - zeroPoint[c];
                float hi = qmax - zeroPoint[c];
                double sumScale = 0;
                double sumOutside = 0;
                for (int start = base; start < base + inner; start += CHUNK) {
                    int n = Math.min(CHUNK, base + inner - start);
                    System.arraycopy(x, start, chunk.x, 0, n);
                    System.arraycopy(gradOut, start, chunk.gradOut, 0, n);
                    chunk.compute(n, s, lo, hi);
                    System.arraycopy(chunk.gradX, 0, gradX, start, n);
                    sumScale += sum(chunk.scaleTerms, n);
                    sumOutside += sum(chunk.outsideTerms, n);
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

    /**
     * Scratch rows of one block of the float backward pass. All rows share one index, which lets C2
     * vectorize the loop (with different offsets into arrays that might alias, it falls back to scalar
     * code, where float min/max branch and run about ten times slower).
     */
    private static final class BackwardChunk {
        final float[] x;
        final float[] gradOut;
        final float[] gradX;
        final float[] scaleTerms;
        final float[] outsideTerms;

        BackwardChunk(int length) {
            x = new float[length];
            gradOut = new float[length];
            gradX = new float[length];
            scaleTerms = new float[length];
            outsideTerms = new float[length];
        }

        /**
         * Computes {@code gradX} and the per-element terms of the scale and zero-point gradients, branch-free:
         * {@code r} is {@code round(x/s)} clamped to {@code [lo - 1, hi + 1]}, which keeps the fast rounding
         * exact, and {@code rc = clamp(r, lo, hi)} differs from {@code r} exactly where {@code x} is clipped.
         */
        void compute(int n, float s, float lo, float hi) {
            float below = lo - 1;
            float above = hi + 1;
            for (int i = 0; i < n; i++) {
                float t = x[i] / s;
                float r = Rounding.rintSmall(Math.min(Math.max(t, below), above));
                float rc = Math.min(Math.max(r, lo), hi);
                float inside = 1f - Math.min(1f, Math.abs(rc - r));
                float g = gradOut[i];
                gradX[i] = g * inside;
                // Inside: round(x/s) - x/s. Clipped: the bound, qmin - z or qmax - z, which is rc.
                scaleTerms[i] = g * (inside * (r - t) + (1f - inside) * rc);
                outsideTerms[i] = g * (1f - inside);
            }
        }
    }

    /**
     * Sums one block with eight float accumulators, which the CPU adds in parallel. A block has at most
     * {@link #CHUNK} elements, so float partial sums lose little; the caller adds blocks in double.
     */
    private static double sum(float[] values, int length) {
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        float e = 0;
        float f = 0;
        float g = 0;
        float h = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            a += values[i];
            b += values[i + 1];
            c += values[i + 2];
            d += values[i + 3];
            e += values[i + 4];
            f += values[i + 5];
            g += values[i + 6];
            h += values[i + 7];
        }
        for (; i < length; i++) {
            a += values[i];
        }
        return ((double) a + b + c + d) + ((double) e + f + g + h);
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
