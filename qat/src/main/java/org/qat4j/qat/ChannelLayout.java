package org.qat4j.qat;

import java.util.Arrays;

/**
 * The c-order layout of a tensor seen along one channel axis: {@code outer} blocks of {@code channels}
 * runs of {@code inner} contiguous elements. Element {@code ((o * channels) + c) * inner + i} belongs to
 * channel {@code c}. Per-tensor quantization is the case {@code channels = 1}.
 */
final class ChannelLayout {

    final int outer;
    final int channels;
    final int inner;

    private ChannelLayout(int outer, int channels, int inner) {
        this.outer = outer;
        this.channels = channels;
        this.inner = inner;
    }

    static ChannelLayout of(long[] shape, int axis) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Tensor of shape " + Arrays.toString(shape) + " has " + length
                    + " elements; quantization kernels support at most " + Integer.MAX_VALUE + ".");
        }
        if (axis == QuantSpec.PER_TENSOR) {
            return new ChannelLayout(1, 1, (int) length);
        }
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("Channel axis " + axis + " is out of range for a tensor of shape "
                    + Arrays.toString(shape) + ": use 0 to " + (shape.length - 1) + ", or -1 for per tensor.");
        }
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new ChannelLayout((int) outer, (int) shape[axis], (int) inner);
    }

    int length() {
        return outer * channels * inner;
    }

    /** Returns the number of elements that share one channel's scale. */
    int elementsPerChannel() {
        return outer * inner;
    }

    void requireChannels(int expected, String owner) {
        if (channels != expected) {
            throw new IllegalArgumentException(owner + " has " + expected + " channel parameters but the tensor has "
                    + channels + " channels along the quantization axis.");
        }
    }
}
