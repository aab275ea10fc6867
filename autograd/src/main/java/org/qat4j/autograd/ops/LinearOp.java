package org.qat4j.autograd.ops;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Fully connected layer {@code y[N,out] = x[N,in] · wᵀ + b} with PyTorch's weight layout
 * {@code w[out,in]}. Backward: {@code dL/dx = dL/dy · w}, {@code dL/dw = (dL/dy)ᵀ · x},
 * {@code dL/db = Σ_n dL/dy[n,:]}. The products are BLAS GEMMs with transpose flags.
 */
public final class LinearOp {

    private LinearOp() {
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor b) {
        NdArrays.checkRank(x.value(), 2, "linear: input");
        NdArrays.checkRank(w.value(), 2, "linear: weight");
        NdArrays.checkFloatingPoint(x.value(), "linear: input");
        NdArrays.checkSameType(x.value(), w.value(), "linear: input and weight");
        long in = w.shape()[1];
        long outFeatures = w.shape()[0];
        if (x.shape()[1] != in) {
            throw new IllegalArgumentException("linear: input has " + x.shape()[1] + " features but the weight "
                    + Arrays.toString(w.shape()) + " expects " + in);
        }
        if (b != null) {
            NdArrays.checkSameType(x.value(), b.value(), "linear: input and bias");
        }
        if (b != null && b.value().length() != outFeatures) {
            throw new IllegalArgumentException("linear: bias shape " + Arrays.toString(b.shape())
                    + " does not match " + outFeatures + " output features");
        }
        INDArray xv = NdArrays.contiguous(x.value());
        INDArray wv = NdArrays.contiguous(w.value());
        INDArray out = ArrayPool.take(xv.dataType(), xv.size(0), outFeatures);
        Nd4j.gemm(xv, wv, out, false, true, 1.0, 0.0);
        if (b != null) {
            out.addiRowVector(b.value().reshape(outFeatures));
        }

        Tensor[] parents = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            if (x.requiresGrad()) {
                INDArray gx = ArrayPool.take(xv.dataType(), xv.shape());
                Nd4j.gemm(gc, wv, gx, false, false, 1.0, 0.0);
                x.accumulateGradOwned(gx);
            }
            if (w.requiresGrad()) {
                INDArray gw = ArrayPool.take(wv.dataType(), wv.shape());
                Nd4j.gemm(gc, xv, gw, true, false, 1.0, 0.0);
                w.accumulateGradOwned(gw);
            }
            if (b != null && b.requiresGrad()) {
                INDArray gb = ArrayPool.take(gc.dataType(), b.shape());
                gc.sum(gb.reshape(new long[] {outFeatures}), 0);
                b.accumulateGradOwned(gb);
            }
            if (gc != g) {
                NdArrays.release(gc);
            }
        }, parents);
    }
}
