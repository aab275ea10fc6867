package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;

/**
 * The part of {@link QuantLinear} and {@link QuantConv2d} that does not depend on the layer type: the
 * weight and bias parameters, the weight quantizer (child {@code weight_quantizer}), the references
 * to the input and output quantizers of the enclosing model, and a forward pass that applies the
 * layer to {@code q(W)} and {@code q(b)}. The bias is rounded to the accumulator grid
 * {@code s_w * s_x} (see {@link BiasQuantization}).
 */
public abstract class QuantWeightedLayer extends Module implements QuantLayer {

    private final String name;
    private final Tensor weight;
    private final Tensor bias;
    private final FakeQuantize weightQuantizer;
    private FakeQuantize inputQuantizer;
    private FakeQuantize outputQuantizer;
    private boolean reluFused;

    /** Registers copies of the FP32 weight and bias and the weight quantizer. */
    protected QuantWeightedLayer(String name, INDArray weight, INDArray bias, FakeQuantize weightQuantizer) {
        this.name = name;
        this.weight = registerParameter("weight", weight.dup('c'));
        this.bias = registerParameter("bias", bias.dup('c'));
        this.weightQuantizer = registerModule("weight_quantizer", weightQuantizer);
    }

    /** Applies the layer's operation to the input with the fake-quantized weight and bias. */
    protected abstract Tensor apply(Tensor x, Tensor quantizedWeight, Tensor quantizedBias);

    @Override
    public Tensor forward(Tensor x) {
        Tensor quantizedWeight = weightQuantizer.forward(weight);
        Tensor quantizedBias = BiasQuantization.apply(bias, weightQuantizer, inputQuantizer);
        Tensor y = apply(x, quantizedWeight, quantizedBias);
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
}
