package org.qat4j.autograd.nn;

import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/** {@code y = max(0, x)}. */
public final class ReLU extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.relu(x);
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
