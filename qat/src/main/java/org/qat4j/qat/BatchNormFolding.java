package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.nn.BatchNorm2d;
import org.qat4j.autograd.nn.Conv2d;

/**
 * Static batch-norm folding into the preceding convolution with the running statistics (inference
 * form): with {@code f = gamma / sqrt(var + eps)} per output channel,
 * {@code W' = W * f} and {@code b' = beta + (b - mean) * f}, where {@code b} is the convolution's own
 * bias (0 when it has none), counted once. A channel with {@code gamma = 0} gets zero weights and bias
 * {@code beta}. Computed in float64, returned in the weight's data type.
 */
public final class BatchNormFolding {

    /** Folded weight {@code [OC, C, k, k]} and bias {@code [OC]}. */
    public record Folded(INDArray weight, INDArray bias) {
    }

    private BatchNormFolding() {
    }

    public static Folded fold(Conv2d conv, BatchNorm2d bn) {
        INDArray weight = conv.weight().value();
        int outChannels = (int) weight.size(0);
        if (bn.channels() != outChannels) {
            throw new IllegalArgumentException("Cannot fold BatchNorm2d(" + bn.channels() + ") into a convolution with "
                    + outChannels + " output channels.");
        }
        double[] w = Buffers.readDoubles(weight);
        double[] gamma = Buffers.readDoubles(bn.gamma().value());
        double[] beta = Buffers.readDoubles(bn.beta().value());
        double[] mean = Buffers.readDoubles(bn.runningMean());
        double[] var = Buffers.readDoubles(bn.runningVar());
        double[] b = conv.bias() == null ? new double[outChannels] : Buffers.readDoubles(conv.bias().value());

        int perChannel = w.length / outChannels;
        double[] foldedBias = new double[outChannels];
        for (int c = 0; c < outChannels; c++) {
            if (!(var[c] >= 0) || !Double.isFinite(var[c])) {
                throw new IllegalArgumentException("Batch norm running variance " + var[c] + " of channel " + c
                        + " is invalid: expected a finite value >= 0.");
            }
            double factor = gamma[c] / Math.sqrt(var[c] + bn.eps());
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                w[i] *= factor;
            }
            foldedBias[c] = beta[c] + (b[c] - mean[c]) * factor;
        }
        return new Folded(Buffers.create(w, weight.shape()).castTo(weight.dataType()),
                Buffers.create(foldedBias, new long[] {outChannels}).castTo(weight.dataType()));
    }
}
