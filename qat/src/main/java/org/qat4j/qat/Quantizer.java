package org.qat4j.qat;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Quantization with fixed parameters, without autograd:
 * {@code x_int = clamp(round(x / s) + z, qmin, qmax)} (round half to even),
 * {@code x = s * (x_int - z)} and their composition, fake quantization. Per-channel parameters apply
 * along {@link QuantParams#axis()}. Float32 tensors are computed in float32 and float64 tensors in
 * float64, exactly as {@link FakeQuantOp} does in training.
 */
public final class Quantizer {

    private Quantizer() {
    }

    /**
     * Returns {@code x_int} as an INT32 array of the shape of {@code x}.
     *
     * @param tensorName named in the error when {@code x} contains NaN or an infinity
     */
    public static INDArray quantize(INDArray x, QuantParams params, String tensorName) {
        ChannelLayout layout = layoutOf(x, params);
        int[] result = new int[layout.length()];
        if (x.dataType() == DataType.DOUBLE) {
            double[] values = Buffers.readDoubles(x);
            Buffers.requireFinite(values, tensorName);
            double[] out = new double[values.length];
            FakeQuantKernels.forward(values, out, params.scales(), zeroPointsAsDoubles(params),
                    params.grid().qmin(), params.grid().qmax(), layout, false);
            for (int i = 0; i < out.length; i++) {
                result[i] = (int) out[i];
            }
        } else {
            float[] values = Buffers.readFloats(x);
            Buffers.requireFinite(values, tensorName);
            float[] out = new float[values.length];
            FakeQuantKernels.forward(values, out, toFloats(params.scales()), toFloats(zeroPointsAsDoubles(params)),
                    params.grid().qmin(), params.grid().qmax(), layout, false);
            for (int i = 0; i < out.length; i++) {
                result[i] = (int) out[i];
            }
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(result).reshape('c', x.shape());
    }

    /** Returns {@code s * (x_int - z)} in float32 (computed in double, then rounded once). */
    public static INDArray dequantize(INDArray quantized, QuantParams params) {
        ChannelLayout layout = layoutOf(quantized, params);
        double[] q = Buffers.readDoubles(quantized);
        float[] out = new float[q.length];
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * layout.inner;
                double s = params.scale(c);
                int z = params.zeroPoint(c);
                for (int i = base; i < base + layout.inner; i++) {
                    out[i] = (float) (s * (q[i] - z));
                }
            }
        }
        return Buffers.create(out, quantized.shape());
    }

    /** Returns {@code x_hat = s * (clamp(round(x / s) + z, qmin, qmax) - z)} in the data type of {@code x}. */
    public static INDArray fakeQuantize(INDArray x, QuantParams params, String tensorName) {
        ChannelLayout layout = layoutOf(x, params);
        if (x.dataType() == DataType.DOUBLE) {
            double[] values = Buffers.readDoubles(x);
            Buffers.requireFinite(values, tensorName);
            double[] out = new double[values.length];
            FakeQuantKernels.forward(values, out, params.scales(), zeroPointsAsDoubles(params),
                    params.grid().qmin(), params.grid().qmax(), layout, true);
            return Buffers.create(out, x.shape());
        }
        float[] values = Buffers.readFloats(x);
        Buffers.requireFinite(values, tensorName);
        float[] out = new float[values.length];
        FakeQuantKernels.forward(values, out, toFloats(params.scales()), toFloats(zeroPointsAsDoubles(params)),
                params.grid().qmin(), params.grid().qmax(), layout, true);
        return Buffers.create(out, x.shape());
    }

    private static ChannelLayout layoutOf(INDArray x, QuantParams params) {
        ChannelLayout layout = ChannelLayout.of(x.shape(), params.axis());
        layout.requireChannels(params.channels(), "QuantParams");
        return layout;
    }

    static double[] zeroPointsAsDoubles(QuantParams params) {
        double[] z = new double[params.channels()];
        for (int c = 0; c < z.length; c++) {
            z[c] = params.zeroPoint(c);
        }
        return z;
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
