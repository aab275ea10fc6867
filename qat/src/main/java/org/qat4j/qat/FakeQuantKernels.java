package org.qat4j.qat;

import java.nio.FloatBuffer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loops over c-order data for fake quantization and its gradients, in float32 and float64.
 *
 * <p>With {@code lo = qmin - z} and {@code hi = qmax - z} the clamped integer offset is
 * {@code r = round(clamp(x / s, lo, hi))}, which equals {@code clamp(round(x / s), lo, hi)} because
 * rounding is monotone and {@code lo}, {@code hi} are integers. Clamping first keeps the fast
 * round-half-to-even exact. Then {@code x_int = r + z} and {@code x_hat = s * r}.
 */
final class FakeQuantKernels {

    /** Elements per block of the float kernels on native arrays (8 KB per operand, so the blocks stay in cache). */
    private static final int BLOCK = 2048;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
     * Writes {@code s * r} for the c-order FLOAT array {@code x} into {@code out} (same shape, c order), one
     * block at a time through a scratch array, so no array of the tensor's size is allocated on the Java heap.
     *
     * @throws IllegalArgumentException naming {@code tensorName} and the flat index when {@code x} contains
     *                                  NaN or an infinity; {@code out} is then partly written
     */
    static void forward(INDArray x, INDArray out, float[] scale, float[] zeroPoint, int qmin, int qmax,
                        ChannelLayout layout, String tensorName) {
        int length = layout.length();
        if (length == 0) {
            return;
        }
        FloatBuffer source = x.data().asNioFloat();
        FloatBuffer target = out.data().asNioFloat();
        int sourceOffset = Math.toIntExact(x.offset());
        int targetOffset = Math.toIntExact(out.offset());
        float[] block = Scratch.get().x;
        for (int start = 0; start < length; start += BLOCK) {
            int end = Math.min(length, start + BLOCK);
            int n = end - start;
            source.get(sourceOffset + start, block, 0, n);
            Buffers.requireFinite(block, n, start, tensorName);
            for (int from = start; from < end; ) {
                int run = from / layout.inner;
                int c = run % layout.channels;
                int to = Math.min(end, (run + 1) * layout.inner);
                float s = scale[c];
                float lo = qmin - zeroPoint[c];
                float hi = qmax - zeroPoint[c];
                for (int i = from - start; i < to - start; i++) {
                    float t = Math.min(Math.max(block[i] / s, lo), hi);
                    block[i] = Rounding.rintSmall(t) * s;
                }
                from = to;
            }
            target.put(targetOffset + start, block, 0, n);
        }
    }

    /**
     * Computes the gradients of {@code x_hat = s * (clamp(round(x/s) + z, qmin, qmax) - z)} with the
     * straight-through estimator for round: {@code dx} (1 where {@code round(x/s) + z} is on the grid,
     * else 0), and per channel the sums of {@code gradOut * d x_hat/d s} and {@code gradOut * d x_hat/d z},
     * where {@code d x_hat/d s} is {@code round(x/s) - x/s} inside, {@code qmin - z} below and
     * {@code qmax - z} above, and {@code d x_hat/d z} is 0 inside and {@code -s} outside.
     *
     * <p>{@code x}, {@code gradOut} and {@code gradX} are c-order FLOAT arrays of one shape, read and written
     * block by block. Any of {@code gradX}, {@code gradScale}, {@code gradZeroPoint} may be null when not
     * needed. The sums are added to {@code gradScale} and {@code gradZeroPoint}; within a block they run in
     * float32, across blocks in float64.
     */
    static void backward(INDArray x, INDArray gradOut, float[] scale, float[] zeroPoint, int qmin, int qmax,
                         ChannelLayout layout, INDArray gradX, double[] gradScale, double[] gradZeroPoint) {
        int length = layout.length();
        if (length == 0) {
            return;
        }
        FloatBuffer xSource = x.data().asNioFloat();
        FloatBuffer gradSource = gradOut.data().asNioFloat();
        FloatBuffer gradTarget = gradX == null ? null : gradX.data().asNioFloat();
        int xOffset = Math.toIntExact(x.offset());
        int gradOffset = Math.toIntExact(gradOut.offset());
        int gradXOffset = gradX == null ? 0 : Math.toIntExact(gradX.offset());
        Scratch scratch = Scratch.get();
        for (int start = 0; start < length; start += BLOCK) {
            int end = Math.min(length, start + BLOCK);
            int n = end - start;
            xSource.get(xOffset + start, scratch.x, 0, n);
            gradSource.get(gradOffset + start, scratch.gradOut, 0, n);
            for (int from = start; from < end; ) {
                int run = from / layout.inner;
                int c = run % layout.channels;
                int to = Math.min(end, (run + 1) * layout.inner);
                float s = scale[c];
                scratch.backwardRange(from - start, to - start, s, qmin - zeroPoint[c], qmax - zeroPoint[c],
                        gradZeroPoint != null);
                if (gradScale != null) {
                    gradScale[c] += scratch.scaleSum;
                }
                if (gradZeroPoint != null) {
                    gradZeroPoint[c] += -s * scratch.outsideSum;
                }
                from = to;
            }
            if (gradTarget != null) {
                gradTarget.put(gradXOffset + start, scratch.gradX, 0, n);
            }
        }
    }

    /** Per-thread blocks of the float kernels, indexed alike so that C2 can vectorize the loops over them. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

        final float[] x = new float[BLOCK];
        final float[] gradOut = new float[BLOCK];
        final float[] gradX = new float[BLOCK];
        final float[] scaleTerms = new float[BLOCK];
        /** Outputs of {@link #backwardRange}. */
        double scaleSum;
        double outsideSum;

        static Scratch get() {
            return PER_THREAD.get();
        }

        /**
         * Computes {@code gradX} on {@code [from, to)} and stores the range's sum of
         * {@code gradOut * d x_hat/d s}, and with {@code sumOutside} also the sum of {@code gradOut} over
         * clipped elements. Branch-free: with {@code r = round(clamp(x/s, lo - 1, hi + 1))} (the clamp keeps
         * the fast rounding exact) and {@code rc = clamp(r, lo, hi)}, {@code (rc - r)^2} is 1 where the
         * element is clipped and 0 where it is inside, and where it is clipped {@code d x_hat/d s} is the
         * bound {@code rc}.
         */
        void backwardRange(int from, int to, float s, float lo, float hi, boolean sumOutside) {
            float below = lo - 1;
            float above = hi + 1;
            for (int i = from; i < to; i++) {
                float t = x[i] / s;
                float r = Rounding.rintSmall(Math.min(Math.max(t, below), above));
                float rc = Math.min(Math.max(r, lo), hi);
                float clipped = (rc - r) * (rc - r);
                float inside = 1f - clipped;
                float g = gradOut[i];
                gradX[i] = g * inside;
                scaleTerms[i] = g * (inside * (r - t) + clipped * rc);
            }
            scaleSum = sum(scaleTerms, from, to);
            // The clipped elements' gradOut sums to sum(gradOut) - sum(gradX).
            outsideSum = sumOutside ? sum(gradOut, from, to) - sum(gradX, from, to) : 0;
        }

        /**
         * Sums {@code values[from, to)} in two float vectors (this ran about ten times faster than eight scalar
         * accumulators with JDK 17 on AVX-512). A range has at most {@link #BLOCK} elements, so float partial sums
         * lose little.
         */
        private static double sum(float[] values, int from, int to) {
            int lanes = SPECIES.length();
            FloatVector even = FloatVector.zero(SPECIES);
            FloatVector odd = FloatVector.zero(SPECIES);
            int i = from;
            for (int bound = from + (to - from) / (2 * lanes) * (2 * lanes); i < bound; i += 2 * lanes) {
                even = even.add(FloatVector.fromArray(SPECIES, values, i));
                odd = odd.add(FloatVector.fromArray(SPECIES, values, i + lanes));
            }
            double sum = even.add(odd).reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                sum += values[i];
            }
            return sum;
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
