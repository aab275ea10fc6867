package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
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
        INDArray out = Nd4j.createUninitialized(xv.dataType(), xv.shape());
        long length = xv.length();
        double[] row = Scratch.doubles(Scratch.ROW, CHUNK);
        for (long start = 0; start < length; start += CHUNK) {
            int n = (int) Math.min(CHUNK, length - start);
            NativeRows.read(xv, start, row, 0, n);
            for (int i = 0; i < n; i++) {
                row[i] = Math.max(0.0, row[i]);
            }
            NativeRows.write(out, start, row, 0, n);
        }
        if (xv != x.value()) {
            NdArrays.release(xv);
        }

        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            INDArray gx = ArrayPool.take(out.dataType(), out.shape());
            double[] grad = Scratch.doubles(Scratch.ROW, CHUNK);
            double[] y = Scratch.doubles(Scratch.ROW2, CHUNK);
            for (long start = 0; start < length; start += CHUNK) {
                int n = (int) Math.min(CHUNK, length - start);
                NativeRows.read(gc, start, grad, 0, n);
                NativeRows.read(out, start, y, 0, n);
                for (int i = 0; i < n; i++) {
                    grad[i] *= positiveMask(y[i]);
                }
                NativeRows.write(gx, start, grad, 0, n);
            }
            if (gc != g) {
                NdArrays.release(gc);
            }
            x.accumulateGradOwned(gx);
        }, x);
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
