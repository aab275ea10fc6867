package org.qat4j.qat.integer;

import java.util.Arrays;

/**
 * A 2-d convolution in integers (NCHW, square kernel, stride, zero padding): for output channel
 * {@code c} at position {@code (oy, ox)},
 * {@code acc = bias_int[c] + sum_{ci, ky, kx} W_int[c, ci, ky, kx] * (x_int[ci, oy*stride - pad + ky, ox*stride - pad + kx] - z_x)},
 * requantized to bytes or, in the last layer, returned as int32 accumulators.
 *
 * <p>Padding uses the input zero point {@code z_x}, which is real zero, so padded positions add
 * nothing. Each sample is unfolded into a byte matrix (im2col, {@code C * k * k} values per output
 * position) and multiplied with the weights; see {@link IntegerWeightedLayer}.
 */
public final class IntegerConv2d extends IntegerWeightedLayer {

    private final int inChannels;
    private final int inHeight;
    private final int inWidth;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int outHeight;
    private final int outWidth;

    /**
     * @param weights {@code W_int} in {@code [outChannels, inChannels, kernelSize, kernelSize]} order
     * @param weightScales {@code s_w[c]}, metadata
     * @param bias {@code bias_int[c]}
     * @param requantizer null for the last layer (int32 accumulators out)
     */
    public IntegerConv2d(String name, int inChannels, int inHeight, int inWidth, int outChannels, int kernelSize,
                         int stride, int padding, int weightBitWidth, byte[] weights, double[] weightScales,
                         int[] bias, ActivationQuantization input, Requantizer requantizer) {
        super(name, new int[] {inChannels, inHeight, inWidth},
                new int[] {outChannels, outExtent(name, inHeight, kernelSize, stride, padding),
                        outExtent(name, inWidth, kernelSize, stride, padding)},
                outChannels, checkedFanIn(name, inChannels, kernelSize), weightBitWidth, weights, weightScales, bias,
                input, requantizer);
        this.inChannels = inChannels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.outHeight = outExtent(name, inHeight, kernelSize, stride, padding);
        this.outWidth = outExtent(name, inWidth, kernelSize, stride, padding);
    }

    private static int checkedFanIn(String name, int inChannels, int kernelSize) {
        requirePositive(name, "input channel count", inChannels);
        requirePositive(name, "kernel size", kernelSize);
        return Math.multiplyExact(inChannels, kernelSize * kernelSize);
    }

    private static int outExtent(String name, int inExtent, int kernelSize, int stride, int padding) {
        requirePositive(name, "input height/width", inExtent);
        requirePositive(name, "kernel size", kernelSize);
        requirePositive(name, "stride", stride);
        if (padding < 0 || padding >= kernelSize) {
            throw new IllegalArgumentException(name + ": padding " + padding + " is invalid: use 0 to kernel size - 1 ("
                    + (kernelSize - 1) + ").");
        }
        int span = inExtent + 2 * padding - kernelSize;
        if (span < 0) {
            throw new IllegalArgumentException(name + ": kernel " + kernelSize + " does not fit the input extent "
                    + inExtent + " with padding " + padding + ".");
        }
        return span / stride + 1;
    }

    public int inChannels() {
        return inChannels;
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

    public int padding() {
        return padding;
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    @Override
    void forward(byte[] input, int n, byte[] output, Workspace workspace) {
        requireRequantizer();
        run(input, n, output, null, workspace);
    }

    @Override
    void accumulate(byte[] input, int n, int[] output, Workspace workspace) {
        run(input, n, null, output, workspace);
    }

    private void run(byte[] input, int n, byte[] bytesOut, int[] accumulatorsOut, Workspace workspace) {
        int positions = outHeight * outWidth;
        int inSize = inputSize();
        int outSize = outputSize();
        byte[] columns = workspace.columns(positions * fanIn());
        for (int sample = 0; sample < n; sample++) {
            unfold(input, sample * inSize, columns);
            multiplyRows(columns, 0, 1, positions, positions, positions, bytesOut, accumulatorsOut, sample * outSize,
                    workspace);
        }
    }

    /**
     * im2col of one sample, column-major: the input byte under kernel tap {@code (ci, ky, kx)} at output
     * position {@code p = oy * outWidth + ox} goes to {@code columns[((ci * k + ky) * k + kx) * positions + p]},
     * so each tap's row is a run of input bytes (copied in bulk at stride 1) and the four activations a
     * GEMM tile reads for one tap are adjacent. Positions in the padding get the zero point.
     */
    private void unfold(byte[] input, int inputOffset, byte[] columns) {
        byte pad = (byte) input().zeroPoint();
        int positions = outHeight * outWidth;
        int plane = inHeight * inWidth;
        for (int ci = 0; ci < inChannels; ci++) {
            for (int ky = 0; ky < kernelSize; ky++) {
                for (int kx = 0; kx < kernelSize; kx++) {
                    int tapRow = ((ci * kernelSize + ky) * kernelSize + kx) * positions;
                    for (int oy = 0; oy < outHeight; oy++) {
                        int y = oy * stride - padding + ky;
                        int destination = tapRow + oy * outWidth;
                        if (y < 0 || y >= inHeight) {
                            Arrays.fill(columns, destination, destination + outWidth, pad);
                        } else {
                            unfoldLine(input, inputOffset + ci * plane + y * inWidth, kx, pad, columns, destination);
                        }
                    }
                }
            }
        }
    }

    /** Writes {@code line[ox * stride - padding + kx]} for every {@code ox}, or the pad value outside the line. */
    private void unfoldLine(byte[] input, int lineOffset, int kx, byte pad, byte[] columns, int destination) {
        if (stride != 1) {
            for (int ox = 0; ox < outWidth; ox++) {
                int x = ox * stride - padding + kx;
                columns[destination + ox] = x >= 0 && x < inWidth ? input[lineOffset + x] : pad;
            }
            return;
        }
        // At stride 1, output positions [first, end) read the contiguous input run starting at x = first - padding + kx.
        int first = Math.min(outWidth, Math.max(0, padding - kx));
        int end = Math.max(first, Math.min(outWidth, inWidth + padding - kx));
        Arrays.fill(columns, destination, destination + first, pad);
        if (end > first) {
            System.arraycopy(input, lineOffset + first - padding + kx, columns, destination + first, end - first);
        }
        Arrays.fill(columns, destination + end, destination + outWidth, pad);
    }
}
