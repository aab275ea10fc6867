package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;

/**
 * Two-dimensional convolution (NCHW) with fake-quantized weights {@code W [OC, C, k, k]} and a bias that
 * already contains any folded batch norm, rounded to the accumulator grid {@code s_w * s_x} in the
 * forward pass (see {@link BiasQuantization}). The weight quantizer is the child {@code weight_quantizer};
 * input and output quantizers belong to the enclosing model and are only referenced here (see
 * {@link QuantLayer}).
 */
public final class QuantConv2d extends Module implements QuantLayer {

    private final String name;
    private final int stride;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;
    private final FakeQuantize weightQuantizer;
    private FakeQuantize inputQuantizer;
    private FakeQuantize outputQuantizer;
    private boolean reluFused;

    /** Creates the layer from FP32 values, which are copied. */
    public QuantConv2d(String name, INDArray weight, INDArray bias, int stride, int padding,
                       FakeQuantize weightQuantizer) {
        if (weight.rank() != 4 || bias.rank() != 1 || bias.length() != weight.size(0)) {
            throw new IllegalArgumentException("QuantConv2d '" + name + "': expected weight [OC, C, k, k] and bias [OC],"
                    + " got " + Buffers.shapeOf(weight) + " and " + Buffers.shapeOf(bias) + ".");
        }
        this.name = name;
        this.stride = stride;
        this.padding = padding;
        this.weight = registerParameter("weight", weight.dup('c'));
        this.bias = registerParameter("bias", bias.dup('c'));
        this.weightQuantizer = registerModule("weight_quantizer", weightQuantizer);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor quantizedWeight = weightQuantizer.forward(weight);
        Tensor quantizedBias = BiasQuantization.apply(bias, weightQuantizer, inputQuantizer);
        Tensor y = F.conv2d(x, quantizedWeight, quantizedBias, stride, padding);
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

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int kernelSize() {
        return (int) weight.shape()[2];
    }

    public int inChannels() {
        return (int) weight.shape()[1];
    }

    public int outChannels() {
        return (int) weight.shape()[0];
    }

    @Override
    public String toString() {
        return "QuantConv2d(" + name + ", " + inChannels() + " -> " + outChannels() + ", k=" + kernelSize()
                + ", stride=" + stride + ", padding=" + padding + ", " + weightQuantizer.grid()
                + (reluFused ? ", relu" : "") + ")";
    }
}
