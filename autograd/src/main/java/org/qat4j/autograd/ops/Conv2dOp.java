package org.qat4j.autograd.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Parallel;
import org.qat4j.autograd.Scratch;
import org.qat4j.autograd.Tensor;

/**
 * Two-dimensional cross-correlation in NCHW layout with PyTorch's weight layout:
 * {@code y[n,o,i,j] = b[o] + Σ_{c,p,q} w[o,c,p,q] · x[n, c, i·s + p - pad, j·s + q - pad]},
 * with zeros outside the input, output size {@code (H + 2·pad - kH) / s + 1} (floor).
 *
 * <p>The input is unfolded (im2col) into {@code cols[C·kH·kW, N·OH·OW]} so that the whole
 * convolution is one GEMM {@code w[OC, C·kH·kW] · cols}, giving a channel-major
 * {@code [OC, N·OH·OW]} result that is copied into NCHW order. Backward:
 * {@code dL/dw = dY · colsᵀ}, {@code dL/dcols = wᵀ · dY} folded back (col2im, adding
 * overlapping windows) into {@code dL/dx}, and {@code dL/db = Σ dY} over batch and space.
 */
public final class Conv2dOp {

    private Conv2dOp() {
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        Geometry geo = Geometry.of(x.value(), w.value(), b == null ? null : b.value(), stride, padding);
        INDArray xv = NdArrays.contiguous(x.value());
        INDArray wv = NdArrays.contiguous(w.value());
        INDArray w2 = wv.reshape('c', new long[] {geo.outChannels, geo.k});

        INDArray cols = ArrayPool.take(xv.dataType(), geo.k, geo.p);
        im2col(xv, cols, geo);
        INDArray channelMajor = ArrayPool.take(xv.dataType(), geo.outChannels, geo.p);
        Nd4j.gemm(w2, cols, channelMajor, false, false, 1.0, 0.0);
        if (b != null) {
            channelMajor.addiColumnVector(b.value().reshape('c', new long[] {geo.outChannels, 1}));
        }
        INDArray out = ArrayPool.take(xv.dataType(), geo.n, geo.outChannels, geo.outH, geo.outW);
        swapBatchAndChannel(channelMajor, out, geo.outChannels, geo.n, geo.outH * geo.outW);
        ArrayPool.give(channelMajor);

        Tensor[] parents = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        Tensor result = Tensor.fromOp(out, g -> {
            INDArray gy = ArrayPool.take(xv.dataType(), geo.outChannels, geo.p);
            INDArray gc = NdArrays.contiguous(g);
            swapBatchAndChannel(gc, gy, geo.n, geo.outChannels, geo.outH * geo.outW);
            if (gc != g) {
                NdArrays.release(gc);
            }
            if (w.requiresGrad()) {
                INDArray gw = ArrayPool.take(wv.dataType(), wv.shape());
                Nd4j.gemm(gy, cols, gw.reshape('c', new long[] {geo.outChannels, geo.k}), false, true, 1.0, 0.0);
                w.accumulateGradOwned(gw);
            }
            if (b != null && b.requiresGrad()) {
                INDArray gb = ArrayPool.take(gy.dataType(), b.shape());
                gy.sum(gb.reshape(new long[] {geo.outChannels}), 1);
                b.accumulateGradOwned(gb);
            }
            if (x.requiresGrad()) {
                INDArray gcols = ArrayPool.take(xv.dataType(), geo.k, geo.p);
                Nd4j.gemm(w2, gy, gcols, true, false, 1.0, 0.0);
                INDArray gx = ArrayPool.take(xv.dataType(), xv.shape());
                col2im(gcols, gx, geo);
                ArrayPool.give(gcols);
                x.accumulateGradOwned(gx);
            }
            ArrayPool.give(gy);
            ArrayPool.give(cols);
        }, parents);
        if (result.isLeaf()) {
            // No graph was recorded, so nothing will read the columns again.
            ArrayPool.give(cols);
        }
        return result;
    }

    /** Shapes of one convolution, checked once. */
    static final class Geometry {
        final int n;
        final int channels;
        final int height;
        final int width;
        final int outChannels;
        final int kernelH;
        final int kernelW;
        final int stride;
        final int padding;
        final int outH;
        final int outW;
        /** Rows of the column matrix: C·kH·kW. */
        final int k;
        /** Columns of the column matrix: N·OH·OW. */
        final int p;

        private Geometry(long[] x, long[] w, int stride, int padding) {
            n = Math.toIntExact(x[0]);
            channels = Math.toIntExact(x[1]);
            height = Math.toIntExact(x[2]);
            width = Math.toIntExact(x[3]);
            outChannels = Math.toIntExact(w[0]);
            kernelH = Math.toIntExact(w[2]);
            kernelW = Math.toIntExact(w[3]);
            this.stride = stride;
            this.padding = padding;
            outH = (height + 2 * padding - kernelH) / stride + 1;
            outW = (width + 2 * padding - kernelW) / stride + 1;
            k = channels * kernelH * kernelW;
            p = Math.multiplyExact(n, outH * outW);
        }

        static Geometry of(INDArray x, INDArray w, INDArray b, int stride, int padding) {
            NdArrays.checkRank(x, 4, "conv2d: input [N, C, H, W]");
            NdArrays.checkRank(w, 4, "conv2d: weight [OC, C, kH, kW]");
            NdArrays.checkFloatingPoint(x, "conv2d: input");
            NdArrays.checkSameType(x, w, "conv2d: input and weight");
            if (stride < 1) {
                throw new IllegalArgumentException("conv2d: stride " + stride + " is invalid; use 1 or more");
            }
            if (padding < 0) {
                throw new IllegalArgumentException("conv2d: padding " + padding + " is invalid; use 0 or more");
            }
            if (x.size(1) != w.size(1)) {
                throw new IllegalArgumentException("conv2d: input has " + x.size(1) + " channels but the weight "
                        + Arrays.toString(w.shape()) + " expects " + w.size(1));
            }
            if (b != null) {
                NdArrays.checkSameType(x, b, "conv2d: input and bias");
            }
            if (b != null && b.length() != w.size(0)) {
                throw new IllegalArgumentException("conv2d: bias shape " + Arrays.toString(b.shape())
                        + " does not match " + w.size(0) + " output channels");
            }
            Geometry geo = new Geometry(x.shape(), w.shape(), stride, padding);
            if (geo.height + 2 * padding < geo.kernelH || geo.width + 2 * padding < geo.kernelW) {
                throw new IllegalArgumentException("conv2d: kernel " + geo.kernelH + "x" + geo.kernelW
                        + " is larger than the padded input " + (geo.height + 2 * padding) + "x"
                        + (geo.width + 2 * padding));
            }
            return geo;
        }

        /** Returns the first output column whose input column {@code j·s + q - pad} is at least 0. */
        int firstValidColumn(int q) {
            int need = padding - q;
            return need <= 0 ? 0 : Math.min(outW, (need + stride - 1) / stride);
        }

        /** Returns one past the last output column whose input column is inside the image. */
        int endValidColumn(int q) {
            int last = width - 1 + padding - q;
            return last < 0 ? 0 : Math.min(outW, last / stride + 1);
        }
    }

    /**
     * Copies {@code source[a, b, plane]} to {@code target[b, a, plane]}: NCHW to channel-major
     * and back. Each plane is contiguous, so this is one bulk copy per plane.
     */
    static void swapBatchAndChannel(INDArray source, INDArray target, int outer, int inner, int plane) {
        int from = Math.toIntExact(source.offset());
        int to = Math.toIntExact(target.offset());
        boolean isDouble = source.dataType() == DataType.DOUBLE;
        Parallel.forRange(outer, 1, (start, end) -> {
            DoubleBuffer sourceDoubles = isDouble ? source.data().asNioDouble() : null;
            DoubleBuffer targetDoubles = isDouble ? target.data().asNioDouble() : null;
            FloatBuffer sourceFloats = isDouble ? null : source.data().asNioFloat();
            FloatBuffer targetFloats = isDouble ? null : target.data().asNioFloat();
            for (int a = start; a < end; a++) {
                for (int b = 0; b < inner; b++) {
                    int sourceIndex = from + (a * inner + b) * plane;
                    int targetIndex = to + (b * outer + a) * plane;
                    if (isDouble) {
                        targetDoubles.put(targetIndex, sourceDoubles, sourceIndex, plane);
                    } else {
                        targetFloats.put(targetIndex, sourceFloats, sourceIndex, plane);
                    }
                }
            }
        });
    }

    /** Unfolds {@code x} into {@code cols[c·kH·kW + p·kW + q, (n·OH + i)·OW + j]}, one row at a time. */
    static void im2col(INDArray x, INDArray cols, Geometry geo) {
        double[] input = NativeRows.readAll(x, Scratch.doubles(Scratch.INPUT, Math.toIntExact(x.length())));
        Parallel.forRange(geo.k, 1, (start, end) -> {
            double[] row = Scratch.doubles(Scratch.ROW, geo.p);
            NativeRows.Access target = NativeRows.of(cols);
            for (int r = start; r < end; r++) {
                unfoldRow(input, row, r, geo);
                target.write((long) r * geo.p, row, 0, geo.p);
            }
        });
    }

    /** Fills {@code row} with column-matrix row {@code r}: input channel c, kernel offset (kh, kw). */
    private static void unfoldRow(double[] input, double[] row, int r, Geometry geo) {
        int plane = geo.height * geo.width;
        int c = r / (geo.kernelH * geo.kernelW);
        int kh = r / geo.kernelW % geo.kernelH;
        int kw = r % geo.kernelW;
        int jStart = geo.firstValidColumn(kw);
        int jEnd = geo.endValidColumn(kw);
        int index = 0;
        for (int n = 0; n < geo.n; n++) {
            int planeStart = (n * geo.channels + c) * plane;
            for (int i = 0; i < geo.outH; i++, index += geo.outW) {
                int ih = i * geo.stride - geo.padding + kh;
                if (ih < 0 || ih >= geo.height || jStart >= jEnd) {
                    Arrays.fill(row, index, index + geo.outW, 0.0);
                    continue;
                }
                Arrays.fill(row, index, index + jStart, 0.0);
                Arrays.fill(row, index + jEnd, index + geo.outW, 0.0);
                int source = planeStart + ih * geo.width - geo.padding + kw;
                if (geo.stride == 1) {
                    System.arraycopy(input, source + jStart, row, index + jStart, jEnd - jStart);
                } else {
                    for (int j = jStart; j < jEnd; j++) {
                        row[index + j] = input[source + j * geo.stride];
                    }
                }
            }
        }
    }

    /**
     * Folds {@code cols} back into {@code x}, adding the entries that came from the same input
     * pixel. Input channels are processed in parallel: the rows of one channel only add into
     * that channel's planes.
     */
    static void col2im(INDArray cols, INDArray x, Geometry geo) {
        int plane = geo.height * geo.width;
        int length = Math.toIntExact(x.length());
        double[] image = Scratch.doubles(Scratch.INPUT, length);
        Arrays.fill(image, 0, length, 0.0);
        Parallel.forRange(geo.channels, 1, (cStart, cEnd) -> {
            double[] row = Scratch.doubles(Scratch.ROW, geo.p);
            NativeRows.Access source = NativeRows.of(cols);
            for (int c = cStart; c < cEnd; c++) {
                for (int kh = 0; kh < geo.kernelH; kh++) {
                    for (int kw = 0; kw < geo.kernelW; kw++) {
                        int r = (c * geo.kernelH + kh) * geo.kernelW + kw;
                        source.read((long) r * geo.p, row, 0, geo.p);
                        int jStart = geo.firstValidColumn(kw);
                        int jEnd = geo.endValidColumn(kw);
                        int index = 0;
                        for (int n = 0; n < geo.n; n++) {
                            int planeStart = (n * geo.channels + c) * plane;
                            for (int i = 0; i < geo.outH; i++, index += geo.outW) {
                                int ih = i * geo.stride - geo.padding + kh;
                                if (ih < 0 || ih >= geo.height) {
                                    continue;
                                }
                                int target = planeStart + ih * geo.width - geo.padding + kw;
                                for (int j = jStart; j < jEnd; j++) {
                                    image[target + j * geo.stride] += row[index + j];
                                }
                            }
                        }
                    }
                }
            }
        });
        Parallel.forRange(length, 65536, (start, end) -> NativeRows.of(x).write(start, image, start, end - start));
    }
}
