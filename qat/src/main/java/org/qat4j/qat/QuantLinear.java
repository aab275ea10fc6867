package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;

/**
 * Fully connected layer with fake-quantized weights: {@code y = x · q(W)ᵀ + q(b)}, {@code W [out, in]}, where
 * {@code q(b)} rounds the bias to the accumulator grid {@code s_w * s_x} (see {@link BiasQuantization}).
 * The weight quantizer is the child {@code weight_quantizer}; input and output quantizers belong to the
 * enclosing model and are only referenced here (see {@link QuantLayer}).
 */
public final class QuantLinear extends Module implements QuantLayer {

    private final String name;
    private final Tensor weight;
    private final Tensor bias;
    private final FakeQuantize weightQuantizer;
    private FakeQuantize inputQuantizer;
    private FakeQuantize outputQuantizer;
    private boolean reluFused;

    /** Creates the layer from FP32 values, which are copied. */
    public QuantLinear(String name, INDArray weight, INDArray bias, FakeQuantize weightQuantizer) {
        if (weight.rank() != 2 || bias.rank() != 1 || bias.length() != weight.size(0)) {
            throw new IllegalArgumentException("QuantLinear '" + name + "': expected weight [out, in] and bias [out], got "
                    + Buffers.shapeOf(weight) + " and " + Buffers.shapeOf(bias) + ".");
        }
        this.name = name;
        this.weight = registerParameter("weight", weight.dup('c'));
        this.bias = registerParameter("bias", bias.dup('c'));
        this.weightQuantizer = registerModule("weight_quantizer", weightQuantizer);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor quantizedWeight = weightQuantizer.forward(weight);
        Tensor quantizedBias = BiasQuantization.apply(bias, weightQuantizer, inputQuantizer);
        Tensor y = F.linear(x, quantizedWeight, quantizedBias);
        Buffers.releaseAfterUse(quantizedWeight, weight);
        Buffers.releaseAfterUse(quantizedBias, bias);
        return y;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor bias() {
        return bias;
    }

    @Override
    public FakeQuantize weightQuantizer() {
        return weightQuantizer;
    }

    @Override
    public FakeQuantize inputQuantizer() {
        return inputQuantizer;
    }

    @Override
    public FakeQuantize outputQuantizer() {
        return outputQuantizer;
    }

    @Override
    public boolean reluFused() {
        return reluFused;
    }

    @Override
    public void link(FakeQuantize input, FakeQuantize output, boolean relu) {
        this.inputQuantizer = input;
        this.outputQuantizer = output;
        this.reluFused = relu;
    }

    public int inFeatures() {
        return (int) weight.shape()[1];
    }

    public int outFeatures() {
        return (int) weight.shape()[0];
    }

    @Override
    public String toString() {
        return "QuantLinear(" + name + ", " + inFeatures() + " -> " + outFeatures() + ", " + weightQuantizer.grid()
                + (reluFused ? ", relu" : "") + ")";
    }
}
