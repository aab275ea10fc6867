package org.qat4j.autograd.ops;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Shape rules shared by the elementwise binary ops. Shapes are aligned at the right; each
 * pair of dimensions must be equal or one of them 1, as in NumPy, so a bias {@code [C]} or
 * {@code [1, C, 1, 1]} broadcasts against {@code [N, C, H, W]}. The gradient of a broadcast
 * operand is the output gradient summed over the dimensions it was repeated along.
 */
final class Broadcasting {

    private Broadcasting() {
    }

    /** Returns the broadcast shape of {@code a} and {@code b}, or throws naming both shapes. */
    static long[] outputShape(long[] a, long[] b, String op) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = dimFromRight(a, rank - 1 - i);
            long db = dimFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast (dimension " + i + " is " + da + " vs " + db
                        + "); each dimension must match or be 1");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    private static long dimFromRight(long[] shape, int fromRight) {
        int index = shape.length - 1 - fromRight;
        return index >= 0 ? shape[index] : 1;
    }

    /** Adds {@code g} (of the broadcast output shape) to {@code target}, summed down to its shape. */
    static void accumulate(Tensor target, INDArray g) {
        long[] shape = target.shape();
        if (Arrays.equals(shape, g.shape())) {
            target.accumulateGrad(g);
            return;
        }
        int rank = g.rank();
        int offset = rank - shape.length;
        int[] dims = new int[rank];
        int count = 0;
        for (int i = 0; i < rank; i++) {
            long targetDim = i < offset ? 1 : shape[i - offset];
            if (targetDim == 1 && g.size(i) != 1) {
                dims[count++] = i;
            }
        }
        INDArray summed = count == 0 ? g.dup('c') : g.sum(true, Arrays.copyOf(dims, count));
        INDArray shaped = summed.reshape('c', shape);
        target.accumulateGrad(shaped);
        NdArrays.release(summed);
    }
}
