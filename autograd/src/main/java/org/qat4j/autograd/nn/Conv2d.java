package org.qat4j.autograd.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/**
 * Two-dimensional convolution over NCHW input with a square kernel, weight
 * {@code [OC, C, k, k]} He-initialized from a seed ({@code fanIn = C·k·k}), optional zero bias.
 */
public final class Conv2d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, long seed) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d(in=" + inChannels + ", out=" + outChannels + ", kernel="
                    + kernelSize + ", stride=" + stride + ", padding=" + padding
                    + "): channels, kernel and stride must be at least 1 and padding at least 0");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        long fanIn = (long) inChannels * kernelSize * kernelSize;
        this.weight = registerParameter("weight",
                Init.kaimingNormal(seed, fanIn, outChannels, inChannels, kernelSize, kernelSize));
        this.bias = bias ? registerParameter("bias", Nd4j.zeros(DataType.FLOAT, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.conv2d(x, weight, bias, stride, padding);
    }

    /** Weight {@code [OC, C, k, k]}. */
    public Tensor weight() {
        return weight;
    }

    /** Bias {@code [OC]}, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + ", bias=" + (bias != null) + ")";
    }
}
