package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Tensor;

/**
 * Fake quantization of a layer bias onto the int32 accumulator grid the integer engine uses:
 * {@code b_hat = s_b * round(b / s_b)} with {@code s_b = s_w[c] * s_x} per output channel (round half to
 * even). The gradient passes straight through to {@code b}; the scales get none from this term.
 * No clipping is applied: export rejects a bias that does not fit in int32.
 */
final class BiasQuantization {

    private BiasQuantization() {
    }

    /**
     * Returns the fake-quantized bias when both the weight and the input quantizer fake-quantize and have
     * parameters, else {@code bias} unchanged. A new bias has its value from {@link org.qat4j.autograd.ArrayPool}.
     */
    static Tensor apply(Tensor bias, FakeQuantize weightQuantizer, FakeQuantize inputQuantizer) {
        if (inputQuantizer == null || !inputQuantizer.isFakeQuantEnabled() || !inputQuantizer.isInitialized()
                || !weightQuantizer.isFakeQuantEnabled() || !weightQuantizer.isInitialized()) {
            return bias;
        }
        QuantParams weightParams = weightQuantizer.params();
        double inputScale = inputQuantizer.params().scale(0);
        double[] b = Buffers.readDoubles(bias.value());
        for (int c = 0; c < b.length; c++) {
            double accumulatorScale = weightParams.scale(weightParams.channels() == 1 ? 0 : c) * inputScale;
            b[c] = accumulatorScale * Math.rint(b[c] / accumulatorScale);
        }
        INDArray value = Buffers.pooledCopy(b, bias.value().dataType(), bias.shape());
        return Tensor.fromOp(value, bias::accumulateGrad, bias);
    }
}
