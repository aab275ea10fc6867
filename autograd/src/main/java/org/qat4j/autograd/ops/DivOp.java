package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Elementwise {@code y = a / b} with broadcasting; {@code dL/da = dL/dy / b} and
 * {@code dL/db = -dL/dy * y / b}, each summed to its operand's shape.
 */
public final class DivOp {

    private DivOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        NdArrays.checkSameType(a.value(), b.value(), "div");
        long[] shape = Broadcasting.outputShape(a.shape(), b.shape(), "div");
        INDArray out = divide(a.value(), b.value(), shape);

        return Tensor.fromOp(out, g -> {
            if (a.requiresGrad()) {
                INDArray ga = divide(g, b.value(), shape);
                Broadcasting.accumulate(a, ga);
                NdArrays.release(ga);
            }
            if (b.requiresGrad()) {
                INDArray gy = MulOp.multiply(g, out, shape);
                INDArray gb = divide(gy, b.value(), shape).negi();
                NdArrays.release(gy);
                Broadcasting.accumulate(b, gb);
                NdArrays.release(gb);
            }
        }, a, b);
    }

    private static INDArray divide(INDArray x, INDArray y, long[] shape) {
        INDArray out = ArrayPool.take(x.dataType(), shape);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp(
                new INDArray[] {x, y}, new INDArray[] {out}));
        return out;
    }
}
