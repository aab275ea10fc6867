package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/**
 * Two-dimensional convolution (NCHW) with fake-quantized weights {@code W [OC, C, k, k]} and a bias that
 * already contains any folded batch norm, rounded to the accumulator grid {@code s_w * s_x} in the
 * forward pass (see {@link BiasQuantization}). The weight quantizer is the child {@code weight_quantizer};
 * input and output quantizers belong to the enclosing model and are only referenced here (see
 * {@link QuantLayer}).
 */
public final class QuantConv2d extends QuantWeightedLayer {

    private final int stride;
    private final int padding;

    /** Creates the layer from FP32 values, which are copied. */
    public QuantConv2d(String name, INDArray weight, INDArray bias, int stride, int padding,
                       FakeQuantize weightQuantizer) {
        super(name, checkShapes(name, weight, bias), bias, weightQuantizer);
        this.stride = stride;
        this.padding = padding;
    }

    private static INDArray checkShapes(String name, INDArray weight, INDArray bias) {
        if (weight.rank() != 4 || bias.rank() != 1 || bias.length() != weight.size(0)) {
            throw new IllegalArgumentException("QuantConv2d '" + name + "': expected weight [OC, C, k, k] and bias [OC],"
                    + " got " + Buffers.shapeOf(weight) + " and " + Buffers.shapeOf(bias) + ".");
        }
        return weight;
    }

    @Override
    protected Tensor apply(Tensor x, Tensor quantizedWeight, Tensor quantizedBias) {
        return F.conv2d(x, quantizedWeight, quantizedBias, stride, padding);
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int kernelSize() {
        return (int) weight().shape()[2];
    }

    public int inChannels() {
        return (int) weight().shape()[1];
    }

    public int outChannels() {
        return (int) weight().shape()[0];
    }

    @Override
    public String toString() {
        return "QuantConv2d(" + name() + ", " + inChannels() + " -> " + outChannels() + ", k=" + kernelSize()
                + ", stride=" + stride + ", padding=" + padding + ", " + weightQuantizer().grid()
                + (reluFused() ? ", relu" : "") + ")";
    }
}
