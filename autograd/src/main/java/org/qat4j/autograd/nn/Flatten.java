package org.qat4j.autograd.nn;

import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/** {@code [N, ...]} to {@code [N, rest]}. */
public final class Flatten extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.flatten(x);
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
