package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/**
 * Fully connected layer with fake-quantized weights: {@code y = x · q(W)ᵀ + q(b)}, {@code W [out, in]}, where
 * {@code q(b)} rounds the bias to the accumulator grid {@code s_w * s_x} (see {@link BiasQuantization}).
 * The weight quantizer is the child {@code weight_quantizer}; input and output quantizers belong to the
 * enclosing model and are only referenced here (see {@link QuantLayer}).
 */
public final class QuantLinear extends QuantWeightedLayer {

    /** Creates the layer from FP32 values, which are copied. */
    public QuantLinear(String name, INDArray weight, INDArray bias, FakeQuantize weightQuantizer) {
        super(name, checkShapes(name, weight, bias), bias, weightQuantizer);
    }

    private static INDArray checkShapes(String name, INDArray weight, INDArray bias) {
        if (weight.rank() != 2 || bias.rank() != 1 || bias.length() != weight.size(0)) {
            throw new IllegalArgumentException("QuantLinear '" + name + "': expected weight [out, in] and bias [out], got "
                    + Buffers.shapeOf(weight) + " and " + Buffers.shapeOf(bias) + ".");
        }
        return weight;
    }

    @Override
    protected Tensor apply(Tensor x, Tensor quantizedWeight, Tensor quantizedBias) {
        return F.linear(x, quantizedWeight, quantizedBias);
    }

    public int inFeatures() {
        return (int) weight().shape()[1];
    }

    public int outFeatures() {
        return (int) weight().shape()[0];
    }

    @Override
    public String toString() {
        return "QuantLinear(" + name() + ", " + inFeatures() + " -> " + outFeatures() + ", " + weightQuantizer().grid()
                + (reluFused() ? ", relu" : "") + ")";
    }
}
