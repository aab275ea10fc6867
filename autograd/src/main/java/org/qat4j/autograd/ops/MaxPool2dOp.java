package org.qat4j.autograd.ops;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Parallel;
import org.qat4j.autograd.Scratch;
import org.qat4j.autograd.Tensor;

/**
 * Max pooling over {@code k×k} windows with stride {@code s} and no padding, on NCHW input:
 * {@code y[n,c,i,j] = max_{p,q < k} x[n, c, i·s + p, j·s + q]}, output size
 * {@code (H - k) / s + 1} (floor).
 *
 * <p>Backward sends each output gradient to one input element of its window: the first one,
 * in scan order (row by row, left to right), whose value equals the maximum. On a tie the
 * other tied elements get 0. With overlapping windows ({@code s < k}) an input element
 * collects the gradient of every window it won. The backward pass finds that element again
 * from the input and the output instead of storing indices in the forward pass.
 */
public final class MaxPool2dOp {

    private MaxPool2dOp() {
    }

    public static Tensor apply(Tensor x, int kernel, int stride) {
        INDArray input = x.value();
        NdArrays.checkRank(input, 4, "maxPool2d: input [N, C, H, W]");
        NdArrays.checkFloatingPoint(input, "maxPool2d: input");
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("maxPool2d: kernel " + kernel + " and stride " + stride
                    + " must both be 1 or more");
        }
        int height = Math.toIntExact(input.size(2));
        int width = Math.toIntExact(input.size(3));
        if (kernel > height || kernel > width) {
            throw new IllegalArgumentException("maxPool2d: kernel " + kernel + " is larger than the input "
                    + height + "x" + width + " of shape " + Arrays.toString(input.shape()));
        }
        Window window = new Window(height, width, kernel, stride);
        int planes = Math.toIntExact(input.size(0) * input.size(1));

        INDArray xv = NdArrays.contiguous(input);
        INDArray out = ArrayPool.take(xv.dataType(), input.size(0), input.size(1), window.outH, window.outW);
        Parallel.forRange(planes, 16, (first, last) -> {
            NativeRows.Access source = NativeRows.of(xv);
            NativeRows.Access target = NativeRows.of(out);
            double[] in = Scratch.doubles(Scratch.ROW, window.inPlane);
            double[] pooled = Scratch.doubles(Scratch.ROW2, window.outPlane);
            for (int plane = first; plane < last; plane++) {
                source.read((long) plane * window.inPlane, in, 0, window.inPlane);
                window.forward(in, pooled);
                target.write((long) plane * window.outPlane, pooled, 0, window.outPlane);
            }
        });

        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            INDArray gx = ArrayPool.take(out.dataType(), input.shape());
            Parallel.forRange(planes, 16, (first, last) -> {
                NativeRows.Access inputs = NativeRows.of(xv);
                NativeRows.Access outputs = NativeRows.of(out);
                NativeRows.Access grads = NativeRows.of(gc);
                NativeRows.Access gradInputs = NativeRows.of(gx);
                double[] values = Scratch.doubles(Scratch.ROW, window.inPlane);
                double[] gradIn = Scratch.doubles(Scratch.INPUT, window.inPlane);
                double[] maxima = Scratch.doubles(Scratch.ROW2, window.outPlane);
                double[] gradOut = Scratch.doubles(Scratch.OUTPUT, window.outPlane);
                for (int plane = first; plane < last; plane++) {
                    inputs.read((long) plane * window.inPlane, values, 0, window.inPlane);
                    outputs.read((long) plane * window.outPlane, maxima, 0, window.outPlane);
                    grads.read((long) plane * window.outPlane, gradOut, 0, window.outPlane);
                    window.backward(values, maxima, gradOut, gradIn);
                    gradInputs.write((long) plane * window.inPlane, gradIn, 0, window.inPlane);
                }
            });
            if (gc != g) {
                NdArrays.release(gc);
            }
            x.accumulateGradOwned(gx);
        }, x);
    }

    /** The pooling windows of one {@code H×W} plane. */
    private static final class Window {
        final int width;
        final int kernel;
        final int stride;
        final int outH;
        final int outW;
        final int inPlane;
        final int outPlane;

        Window(int height, int width, int kernel, int stride) {
            this.width = width;
            this.kernel = kernel;
            this.stride = stride;
            this.outH = (height - kernel) / stride + 1;
            this.outW = (width - kernel) / stride + 1;
            this.inPlane = height * width;
            this.outPlane = outH * outW;
        }

        void forward(double[] in, double[] pooled) {
            if (kernel == 2 && stride == 2) {
                for (int i = 0; i < outH; i++) {
                    int top = 2 * i * width;
                    int bottom = top + width;
                    int o = i * outW;
                    for (int j = 0; j < outW; j++) {
                        int c = 2 * j;
                        pooled[o + j] = Math.max(Math.max(in[top + c], in[top + c + 1]),
                                Math.max(in[bottom + c], in[bottom + c + 1]));
                    }
                }
                return;
            }
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    int first = i * stride * width + j * stride;
                    double max = in[first];
                    for (int p = 0; p < kernel; p++) {
                        int rowStart = first + p * width;
                        for (int q = 0; q < kernel; q++) {
                            max = Math.max(max, in[rowStart + q]);
                        }
                    }
                    pooled[i * outW + j] = max;
                }
            }
        }

        void backward(double[] in, double[] maxima, double[] gradOut, double[] gradIn) {
            if (kernel == 2 && stride == 2) {
                if (outH * 2 != inPlane / width || outW * 2 != width) {
                    // An odd last row or column belongs to no window and gets no gradient.
                    Arrays.fill(gradIn, 0, inPlane, 0.0);
                }
                backwardTwoByTwo(in, maxima, gradOut, gradIn);
                return;
            }
            Arrays.fill(gradIn, 0, inPlane, 0.0);
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    int o = i * outW + j;
                    gradIn[firstMaximum(in, i * stride * width + j * stride, maxima[o])] += gradOut[o];
                }
            }
        }

        /**
         * Routes each gradient of a 2×2, stride-2 window without branches on the data: which
         * element is the maximum is random, so branches would mispredict half of the time.
         * The windows do not overlap, so every input element is written once. A window whose
         * maximum is NaN matches no element and sends its gradient to the last one.
         */
        private void backwardTwoByTwo(double[] in, double[] maxima, double[] gradOut, double[] gradIn) {
            for (int i = 0; i < outH; i++) {
                int top = 2 * i * width;
                int bottom = top + width;
                int o = i * outW;
                for (int j = 0; j < outW; j++) {
                    int c = 2 * j;
                    double max = maxima[o + j];
                    double g = gradOut[o + j];
                    long first = isZero(max - in[top + c]);
                    long second = isZero(max - in[top + c + 1]) & (first ^ 1);
                    long third = isZero(max - in[bottom + c]) & ((first | second) ^ 1);
                    long fourth = (first | second | third) ^ 1;
                    gradIn[top + c] = g * first;
                    gradIn[top + c + 1] = g * second;
                    gradIn[bottom + c] = g * third;
                    gradIn[bottom + c + 1] = g * fourth;
                }
            }
        }

        /** Returns 1 when {@code difference}, which is never negative here, is zero, else 0. */
        private static long isZero(double difference) {
            return (Double.doubleToRawLongBits(difference) - 1) >>> 63;
        }

        /** Index of the first element of the window starting at {@code first} that equals {@code max}. */
        private int firstMaximum(double[] in, int first, double max) {
            for (int p = 0; p < kernel; p++) {
                int rowStart = first + p * width;
                for (int q = 0; q < kernel; q++) {
                    if (in[rowStart + q] == max) {
                        return rowStart + q;
                    }
                }
            }
            // Only a NaN maximum matches nothing, and its gradient goes to the window's first element.
            return first;
        }
    }
}
