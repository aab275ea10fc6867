package org.qat4j.autograd.ops;

import org.qat4j.autograd.Tensor;

/** Mean of all elements or over the given axes: the sum scaled by {@code 1/count} (see {@link SumOp}). */
public final class MeanOp {

    private MeanOp() {
    }

    public static Tensor apply(Tensor x, int... axes) {
        return SumOp.apply(x, true, axes);
    }
}
