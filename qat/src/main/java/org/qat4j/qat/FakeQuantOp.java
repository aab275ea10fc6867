package org.qat4j.qat;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.Tensor;

/**
 * Fake quantization as an autograd op, with learnable scale and zero point.
 *
 * <p>Forward: {@code x_hat = s * (clamp(round(x / s) + round(z), qmin, qmax) - round(z))}, round half to
 * even, per tensor or per channel along {@code axis}. The zero point is kept as a float so it can be
 * learned and is rounded (and clamped to the grid) in the forward pass. Scales below
 * {@link QuantParams#MIN_SCALE} are raised to it in the forward pass.
 *
 * <p>Backward, with the straight-through estimator for round (Bengio et al. 2013):
 * <ul>
 *   <li>{@code d x_hat / d x = 1} where {@code qmin <= round(x/s) + z <= qmax}, else 0;</li>
 *   <li>{@code d x_hat / d s = round(x/s) - x/s} inside, {@code qmin - z} below, {@code qmax - z}
 *       above (LSQ, Esser et al. 2019);</li>
 *   <li>{@code d x_hat / d z = 0} inside and {@code -s} outside (the learnable offset of LSQ+,
 *       Bhalgat et al. 2020, written for the zero point).</li>
 * </ul>
 * The gradients of {@code s} and {@code z} are summed over the elements of their channel and multiplied
 * by {@code gradScale}, for which LSQ uses {@code g = 1 / sqrt(N * qmax)}. The loops run in float32 for
 * float32 tensors and in float64 for float64 tensors (for gradient checks).
 */
public final class FakeQuantOp {

    private FakeQuantOp() {
    }

    /** Returns the LSQ gradient scale {@code g = 1 / sqrt(N * qmax)} for {@code N} elements per scale. */
    public static double lsqGradScale(long elementsPerScale, QuantGrid grid) {
        return 1.0 / Math.sqrt((double) elementsPerScale * grid.qmax());
    }

    /**
     * Applies fake quantization.
     *
     * @param x          tensor to quantize
     * @param scale      scales, shape {@code [channels]} ({@code [1]} per tensor)
     * @param zeroPoint  zero points as floats, shape of {@code scale}, or null for {@code z = 0}
     * @param grid       integer grid
     * @param axis       channel axis, or {@link QuantSpec#PER_TENSOR}
     * @param gradScale  factor applied to the gradients of scale and zero point
     * @param tensorName named in the error when {@code x} contains NaN or an infinity
     */
    public static Tensor apply(Tensor x, Tensor scale, Tensor zeroPoint, QuantGrid grid, int axis,
                               double gradScale, String tensorName) {
        ChannelLayout layout = ChannelLayout.of(x.shape(), axis);
        layout.requireChannels((int) scale.value().length(), "Scale of '" + tensorName + "'");
        if (zeroPoint != null) {
            layout.requireChannels((int) zeroPoint.value().length(), "Zero point of '" + tensorName + "'");
        }
        double[] s = effectiveScales(scale.value());
        double[] z = effectiveZeroPoints(zeroPoint, layout.channels, grid);

        if (x.value().dataType() == DataType.DOUBLE) {
            return applyDouble(x, scale, zeroPoint, grid, layout, s, z, gradScale, tensorName);
        }
        return applyFloat(x, scale, zeroPoint, grid, layout, s, z, gradScale, tensorName);
    }

    /**
     * Runs the float32 path block by block on the native arrays. It keeps no copy of {@code x}, because ops
     * do not modify their inputs in place, so the backward pass reads {@code x.value()} again. The result and
     * the input gradient come from {@link ArrayPool}.
     */
    private static Tensor applyFloat(Tensor x, Tensor scale, Tensor zeroPoint, QuantGrid grid, ChannelLayout layout,
                                     double[] s, double[] z, double gradScale, String tensorName) {
        INDArray input = Buffers.contiguousFloat(x.value());
        float[] sf = Quantizer.toFloats(s);
        float[] zf = Quantizer.toFloats(z);
        long[] shape = x.shape();
        INDArray result = ArrayPool.take(DataType.FLOAT, shape);
        try {
            FakeQuantKernels.forward(input, result, sf, zf, grid.qmin(), grid.qmax(), layout, tensorName);
        } catch (IllegalArgumentException e) {
            ArrayPool.give(result);
            throw e;
        }

        Tensor.Backward backward = gradOutput -> {
            INDArray g = Buffers.contiguousFloat(gradOutput);
            INDArray gradX = x.requiresGrad() ? ArrayPool.take(DataType.FLOAT, shape) : null;
            double[] gradS = scale.requiresGrad() ? new double[layout.channels] : null;
            double[] gradZ = zeroPoint != null && zeroPoint.requiresGrad() ? new double[layout.channels] : null;
            FakeQuantKernels.backward(input, g, sf, zf, grid.qmin(), grid.qmax(), layout, gradX, gradS, gradZ);
            if (gradX != null) {
                x.accumulateGradOwned(gradX);
            }
            accumulateChannelGrad(scale, gradS, gradScale);
            accumulateChannelGrad(zeroPoint, gradZ, gradScale);
        };
        return parentsOf(result, backward, x, scale, zeroPoint);
    }

    private static Tensor applyDouble(Tensor x, Tensor scale, Tensor zeroPoint, QuantGrid grid, ChannelLayout layout,
                                      double[] s, double[] z, double gradScale, String tensorName) {
        double[] values = Buffers.readDoubles(x.value());
        Buffers.requireFinite(values, tensorName);
        double[] out = new double[values.length];
        FakeQuantKernels.forward(values, out, s, z, grid.qmin(), grid.qmax(), layout, true);
        long[] shape = x.shape();
        INDArray result = Buffers.create(out, shape);

        Tensor.Backward backward = gradOutput -> {
            double[] g = Buffers.readDoubles(gradOutput);
            double[] gradX = x.requiresGrad() ? new double[g.length] : null;
            double[] gradS = scale.requiresGrad() ? new double[layout.channels] : null;
            double[] gradZ = zeroPoint != null && zeroPoint.requiresGrad() ? new double[layout.channels] : null;
            FakeQuantKernels.backward(values, g, s, z, grid.qmin(), grid.qmax(), layout, gradX, gradS, gradZ);
            if (gradX != null) {
                x.accumulateGradOwned(Buffers.pooledCopy(gradX, DataType.DOUBLE, shape));
            }
            accumulateChannelGrad(scale, gradS, gradScale);
            accumulateChannelGrad(zeroPoint, gradZ, gradScale);
        };
        return parentsOf(result, backward, x, scale, zeroPoint);
    }

    private static Tensor parentsOf(INDArray result, Tensor.Backward backward, Tensor x, Tensor scale,
                                    Tensor zeroPoint) {
        return zeroPoint == null
                ? Tensor.fromOp(result, backward, x, scale)
                : Tensor.fromOp(result, backward, x, scale, zeroPoint);
    }

    private static void accumulateChannelGrad(Tensor target, double[] sums, double gradScale) {
        if (target == null || sums == null) {
            return;
        }
        double[] scaled = new double[sums.length];
        for (int c = 0; c < sums.length; c++) {
            scaled[c] = sums[c] * gradScale;
        }
        target.accumulateGradOwned(Buffers.pooledCopy(scaled, target.value().dataType(), target.shape()));
    }

    /** Reads the scales, raising each to at least {@link QuantParams#MIN_SCALE} (NaN is an error). */
    static double[] effectiveScales(INDArray scale) {
        double[] s = Buffers.readDoubles(scale);
        for (int c = 0; c < s.length; c++) {
            if (Double.isNaN(s[c]) || Double.isInfinite(s[c])) {
                throw new IllegalStateException("Scale " + s[c] + " of channel " + c
                        + " is not finite: lower the learning rate of the quantizer parameters.");
            }
            s[c] = Math.max(s[c], QuantParams.MIN_SCALE);
            if (scale.dataType() != DataType.DOUBLE) {
                s[c] = (float) s[c];
            }
        }
        return s;
    }

    /** Rounds the float zero points half to even and clamps them to the grid (zeros when absent). */
    static double[] effectiveZeroPoints(Tensor zeroPoint, int channels, QuantGrid grid) {
        double[] z = new double[channels];
        if (zeroPoint == null) {
            return z;
        }
        double[] raw = Buffers.readDoubles(zeroPoint.value());
        for (int c = 0; c < channels; c++) {
            if (Double.isNaN(raw[c])) {
                throw new IllegalStateException("Zero point of channel " + c
                        + " is NaN: lower the learning rate of the quantizer parameters.");
            }
            z[c] = Math.max(grid.qmin(), Math.min(grid.qmax(), Math.rint(raw[c])));
        }
        return z;
    }
}
