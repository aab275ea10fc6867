package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input normalisation {@code x_norm = (x - mean) / std} an FP32 model was trained with, on inputs
 * {@code x} in [0, 1]. {@link Prepare} folds it into the first layer, {@code W' = W / std} and
 * {@code b' = b - (mean / std) * sum(W)} per output channel, so the quantized model reads {@code x}
 * itself (pixels / 255) through a fixed input quantizer with {@code s = 1/255}, {@code z = 0}.
 *
 * @param mean subtracted from every input value
 * @param std  positive divisor
 */
public record InputNormalization(double mean, double std) {

    public InputNormalization {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("Input normalisation (mean " + mean + ", std " + std
                    + ") is invalid: expected a finite mean and a positive finite std.");
        }
    }

    /** Returns {@code W' = W / std} and {@code b' = b - (mean / std) * sum(W)} over all but axis 0. */
    BatchNormFolding.Folded foldInto(INDArray weight, INDArray bias) {
        double[] w = Buffers.readDoubles(weight);
        double[] b = Buffers.readDoubles(bias);
        int outChannels = b.length;
        int perChannel = w.length / outChannels;
        for (int c = 0; c < outChannels; c++) {
            double sum = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                sum += w[i];
                w[i] /= std;
            }
            b[c] -= mean / std * sum;
        }
        return new BatchNormFolding.Folded(Buffers.create(w, weight.shape()).castTo(weight.dataType()),
                Buffers.create(b, bias.shape()).castTo(bias.dataType()));
    }
}
