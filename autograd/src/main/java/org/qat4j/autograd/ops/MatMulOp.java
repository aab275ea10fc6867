package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Matrix product {@code y[M,N] = a[M,K] · b[K,N]}; {@code dL/da = dL/dy · bᵀ} and
 * {@code dL/db = aᵀ · dL/dy}. Each product is one BLAS GEMM with the transposes passed as
 * flags, so no transposed copy is made.
 */
public final class MatMulOp {

    private MatMulOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        NdArrays.checkRank(a.value(), 2, "matmul: a");
        NdArrays.checkRank(b.value(), 2, "matmul: b");
        NdArrays.checkSameType(a.value(), b.value(), "matmul");
        if (a.shape()[1] != b.shape()[0]) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: a is " + a.shape()[0] + "x"
                    + a.shape()[1] + ", b is " + b.shape()[0] + "x" + b.shape()[1]);
        }
        INDArray av = NdArrays.contiguous(a.value());
        INDArray bv = NdArrays.contiguous(b.value());
        INDArray out = ArrayPool.take(av.dataType(), av.size(0), bv.size(1));
        Nd4j.gemm(av, bv, out, false, false, 1.0, 0.0);

        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            if (a.requiresGrad()) {
                INDArray ga = ArrayPool.take(av.dataType(), av.shape());
                Nd4j.gemm(gc, bv, ga, false, true, 1.0, 0.0);
                a.accumulateGradOwned(ga);
            }
            if (b.requiresGrad()) {
                INDArray gb = ArrayPool.take(bv.dataType(), bv.shape());
                Nd4j.gemm(av, gc, gb, true, false, 1.0, 0.0);
                b.accumulateGradOwned(gb);
            }
            if (gc != g) {
                NdArrays.release(gc);
            }
        }, a, b);
    }
}
