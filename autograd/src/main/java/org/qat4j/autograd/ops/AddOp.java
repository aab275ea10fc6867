package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/** Elementwise {@code y = a + b} with broadcasting; {@code dL/da = dL/dy}, {@code dL/db = dL/dy}, each summed to its shape. */
public final class AddOp {

    private AddOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        NdArrays.checkSameType(a.value(), b.value(), "add");
        long[] shape = Broadcasting.outputShape(a.shape(), b.shape(), "add");
        INDArray out = ArrayPool.take(a.value().dataType(), shape);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(
                new INDArray[] {a.value(), b.value()}, new INDArray[] {out}));

        return Tensor.fromOp(out, g -> {
            if (a.requiresGrad()) {
                Broadcasting.accumulate(a, g);
            }
            if (b.requiresGrad()) {
                Broadcasting.accumulate(b, g);
            }
        }, a, b);
    }
}
