package org.qat4j.autograd.nn;

import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/** Max pooling over {@code kernel×kernel} windows with the given stride, no padding. */
public final class MaxPool2d extends Module {

    private final int kernel;
    private final int stride;

    public MaxPool2d(int kernel, int stride) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("MaxPool2d(kernel=" + kernel + ", stride=" + stride
                    + "): both must be at least 1");
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool2d(x, kernel, stride);
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel=" + kernel + ", stride=" + stride + ")";
    }
}
