package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/** Elementwise {@code y = a * b} with broadcasting; {@code dL/da = dL/dy * b}, {@code dL/db = dL/dy * a}, each summed to its shape. */
public final class MulOp {

    private MulOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        NdArrays.checkSameType(a.value(), b.value(), "mul");
        long[] shape = Broadcasting.outputShape(a.shape(), b.shape(), "mul");
        INDArray out = multiply(a.value(), b.value(), shape);

        return Tensor.fromOp(out, g -> {
            if (a.requiresGrad()) {
                INDArray ga = multiply(g, b.value(), shape);
                Broadcasting.accumulate(a, ga);
                NdArrays.release(ga);
            }
            if (b.requiresGrad()) {
                INDArray gb = multiply(g, a.value(), shape);
                Broadcasting.accumulate(b, gb);
                NdArrays.release(gb);
            }
        }, a, b);
    }

    static INDArray multiply(INDArray x, INDArray y, long[] shape) {
        INDArray out = ArrayPool.take(x.dataType(), shape);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(
                new INDArray[] {x, y}, new INDArray[] {out}));
        return out;
    }
}
