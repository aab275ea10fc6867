package org.qat4j.qat.integer;

/**
 * Max pooling on quantized activations (NCHW, no padding): the maximum of the unsigned integers
 * under each {@code kernelSize x kernelSize} window. Quantization is monotonic, so this equals
 * quantizing the real maximum, and scale and zero point pass through unchanged.
 * The output extent is {@code floor((in - kernelSize) / stride) + 1}.
 */
public final class IntegerMaxPool2d extends IntegerLayer {

    private final int channels;
    private final int inHeight;
    private final int inWidth;
    private final int kernelSize;
    private final int stride;
    private final int outHeight;
    private final int outWidth;

    public IntegerMaxPool2d(String name, int channels, int inHeight, int inWidth, int kernelSize, int stride) {
        super(name, new int[] {channels, inHeight, inWidth},
                new int[] {channels, outExtent(name, inHeight, kernelSize, stride),
                        outExtent(name, inWidth, kernelSize, stride)});
        requirePositive(name, "channel count", channels);
        this.channels = channels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.outHeight = outExtent(name, inHeight, kernelSize, stride);
        this.outWidth = outExtent(name, inWidth, kernelSize, stride);
    }

    private static int outExtent(String name, int inExtent, int kernelSize, int stride) {
        requirePositive(name, "input height/width", inExtent);
        requirePositive(name, "kernel size", kernelSize);
        requirePositive(name, "stride", stride);
        if (kernelSize > inExtent) {
            throw new IllegalArgumentException(name + ": pooling kernel " + kernelSize + " is larger than the input extent "
                    + inExtent + ".");
        }
        return (inExtent - kernelSize) / stride + 1;
    }

    public int channels() {
        return channels;
    }

    public int inHeight() {
        return inHeight;
    }

    public int inWidth() {
        return inWidth;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    @Override
    void forward(byte[] input, int n, byte[] output, Workspace workspace) {
        if (kernelSize == 2 && stride == 2) {
            forward2x2(input, n, output);
            return;
        }
        int inPlane = inHeight * inWidth;
        int outPlane = outHeight * outWidth;
        for (int plane = 0; plane < n * channels; plane++) {
            int inOffset = plane * inPlane;
            int outOffset = plane * outPlane;
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    int max = 0;
                    int windowOffset = inOffset + oy * stride * inWidth + ox * stride;
                    for (int ky = 0; ky < kernelSize; ky++) {
                        int line = windowOffset + ky * inWidth;
                        for (int kx = 0; kx < kernelSize; kx++) {
                            max = Math.max(max, input[line + kx] & 0xFF);
                        }
                    }
                    output[outOffset + oy * outWidth + ox] = (byte) max;
                }
            }
        }
    }

    /** The common 2x2, stride 2 case with the window unrolled. */
    private void forward2x2(byte[] input, int n, byte[] output) {
        int inPlane = inHeight * inWidth;
        int outPlane = outHeight * outWidth;
        for (int plane = 0; plane < n * channels; plane++) {
            int out = plane * outPlane;
            for (int oy = 0; oy < outHeight; oy++) {
                int top = plane * inPlane + 2 * oy * inWidth;
                int bottom = top + inWidth;
                for (int ox = 0; ox < outWidth; ox++, out++) {
                    int x = 2 * ox;
                    int upper = Math.max(input[top + x] & 0xFF, input[top + x + 1] & 0xFF);
                    int lower = Math.max(input[bottom + x] & 0xFF, input[bottom + x + 1] & 0xFF);
                    output[out] = (byte) Math.max(upper, lower);
                }
            }
        }
    }
}
