package org.qat4j.autograd.ops;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Tensor;

/**
 * Reshape in c (row-major) order; the gradient is reshaped back. The result is a view of the
 * input when the input is contiguous, otherwise a copy.
 */
public final class ReshapeOp {

    private ReshapeOp() {
    }

    public static Tensor apply(Tensor x, long... shape) {
        long[] resolved = resolve(x.value().length(), shape);
        INDArray out = x.value().reshape('c', resolved);
        long[] inputShape = x.shape();
        return Tensor.fromOp(out, g -> x.accumulateGrad(g.reshape('c', inputShape)), x);
    }

    /** Flattens {@code [N, ...]} to {@code [N, rest]}. */
    public static Tensor flatten(Tensor x) {
        if (x.value().rank() < 1) {
            throw new IllegalArgumentException("flatten needs an input with a batch axis, got a scalar");
        }
        long n = x.shape()[0];
        return apply(x, n, n == 0 ? 0 : x.value().length() / n);
    }

    private static long[] resolve(long length, long[] shape) {
        long[] out = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape " + Arrays.toString(shape)
                        + "; dimensions must be non-negative, with at most one -1");
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0 && known > 0) {
            out[inferred] = length / known;
            known *= out[inferred];
        }
        if (known != length) {
            throw new IllegalArgumentException("reshape: cannot reshape " + length + " elements into "
                    + Arrays.toString(shape));
        }
        return out;
    }
}
