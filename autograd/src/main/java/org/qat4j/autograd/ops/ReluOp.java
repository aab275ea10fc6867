package org.qat4j.autograd.ops;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Parallel;
import org.qat4j.autograd.Scratch;
import org.qat4j.autograd.Tensor;

/**
 * Rectified linear unit {@code y = max(0, x)}; {@code dL/dx = dL/dy} where {@code y > 0} and 0
 * elsewhere (the subgradient at {@code x = 0} is taken as 0, as in PyTorch).
 */
public final class ReluOp {

    private static final int CHUNK = 16384;

    private ReluOp() {
    }

    public static Tensor apply(Tensor x) {
        NdArrays.checkFloatingPoint(x.value(), "relu: input");
        INDArray xv = NdArrays.contiguous(x.value());
        INDArray out = ArrayPool.take(xv.dataType(), xv.shape());
        int length = Math.toIntExact(xv.length());
        int chunks = (length + CHUNK - 1) / CHUNK;
        if (xv.dataType() == DataType.FLOAT) {
            forwardFloat(xv, out, length, chunks);
        } else {
            forwardDouble(xv, out, length, chunks);
        }
        if (xv != x.value()) {
            NdArrays.release(xv);
        }

        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            INDArray gx = ArrayPool.take(out.dataType(), out.shape());
            if (out.dataType() == DataType.FLOAT) {
                backwardFloat(gc, out, gx, length, chunks);
            } else {
                backwardDouble(gc, out, gx, length, chunks);
            }
            if (gc != g) {
                NdArrays.release(gc);
            }
            x.accumulateGradOwned(gx);
        }, x);
    }

    // The FLOAT kernels copy the native buffer into float[] chunks and skip the conversion to
    // double that the shared row helpers make. The results are the same, because max(0, x) and
    // the 0/1 mask are exact in either precision.

    private static void forwardFloat(INDArray x, INDArray out, int length, int chunks) {
        Parallel.forRange(chunks, 4, (first, last) -> {
            FloatBuffer source = x.data().asNioFloat();
            FloatBuffer target = out.data().asNioFloat();
            int sourceOffset = Math.toIntExact(x.offset());
            int targetOffset = Math.toIntExact(out.offset());
            float[] row = Scratch.floats(Scratch.ROW, CHUNK);
            for (int chunk = first; chunk < last; chunk++) {
                int start = chunk * CHUNK;
                int n = Math.min(CHUNK, length - start);
                source.get(sourceOffset + start, row, 0, n);
                for (int i = 0; i < n; i++) {
                    row[i] = Math.max(0f, row[i]);
                }
                target.put(targetOffset + start, row, 0, n);
            }
        });
    }

    private static void forwardDouble(INDArray x, INDArray out, int length, int chunks) {
        Parallel.forRange(chunks, 4, (first, last) -> {
            NativeRows.Access source = NativeRows.of(x);
            NativeRows.Access target = NativeRows.of(out);
            double[] row = Scratch.doubles(Scratch.ROW, CHUNK);
            for (int chunk = first; chunk < last; chunk++) {
                int start = chunk * CHUNK;
                int n = Math.min(CHUNK, length - start);
                source.read(start, row, 0, n);
                for (int i = 0; i < n; i++) {
                    row[i] = Math.max(0.0, row[i]);
                }
                target.write(start, row, 0, n);
            }
        });
    }

    private static void backwardFloat(INDArray g, INDArray out, INDArray gx, int length, int chunks) {
        Parallel.forRange(chunks, 4, (first, last) -> {
            FloatBuffer grads = g.data().asNioFloat();
            FloatBuffer outputs = out.data().asNioFloat();
            FloatBuffer gradInputs = gx.data().asNioFloat();
            int gradOffset = Math.toIntExact(g.offset());
            int outputOffset = Math.toIntExact(out.offset());
            int gradInputOffset = Math.toIntExact(gx.offset());
            float[] grad = Scratch.floats(Scratch.ROW, CHUNK);
            float[] y = Scratch.floats(Scratch.ROW2, CHUNK);
            for (int chunk = first; chunk < last; chunk++) {
                int start = chunk * CHUNK;
                int n = Math.min(CHUNK, length - start);
                grads.get(gradOffset + start, grad, 0, n);
                outputs.get(outputOffset + start, y, 0, n);
                for (int i = 0; i < n; i++) {
                    grad[i] *= 1 - ((Float.floatToRawIntBits(y[i]) - 1) >>> 31);
                }
                gradInputs.put(gradInputOffset + start, grad, 0, n);
            }
        });
    }

    private static void backwardDouble(INDArray g, INDArray out, INDArray gx, int length, int chunks) {
        Parallel.forRange(chunks, 4, (first, last) -> {
            NativeRows.Access grads = NativeRows.of(g);
            NativeRows.Access outputs = NativeRows.of(out);
            NativeRows.Access gradInputs = NativeRows.of(gx);
            double[] grad = Scratch.doubles(Scratch.ROW, CHUNK);
            double[] y = Scratch.doubles(Scratch.ROW2, CHUNK);
            for (int chunk = first; chunk < last; chunk++) {
                int start = chunk * CHUNK;
                int n = Math.min(CHUNK, length - start);
                grads.read(start, grad, 0, n);
                outputs.read(start, y, 0, n);
                for (int i = 0; i < n; i++) {
                    grad[i] *= positiveMask(y[i]);
                }
                gradInputs.write(start, grad, 0, n);
            }
        });
    }

    /**
     * Returns 1 for {@code y > 0} and 0 for {@code y = +0}, without a branch: data-dependent
     * branches on random signs mispredict and stop the loop from vectorizing. Valid for ReLU
     * outputs only, which are never negative and never -0.
     */
    static double positiveMask(double y) {
        return 1 - ((Double.doubleToRawLongBits(y) - 1) >>> 63);
    }
}
