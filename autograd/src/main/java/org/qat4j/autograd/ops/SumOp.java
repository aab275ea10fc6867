package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Sum of all elements, or over the given axes (the axes are removed), scaled by {@code scale}:
 * {@code scale = 1} for a sum, {@code 1/count} for a mean. Backward broadcasts
 * {@code scale · dL/dy} back to the input shape.
 */
public final class SumOp {

    private SumOp() {
    }

    public static Tensor apply(Tensor x, boolean mean, int... axes) {
        NdArrays.checkFloatingPoint(x.value(), mean ? "mean: input" : "sum: input");
        INDArray xv = x.value();
        int[] dims = normalizedAxes(axes, xv.rank());
        long count = 1;
        for (int d : dims) {
            count *= xv.size(d);
        }
        double scale = mean ? 1.0 / count : 1.0;
        INDArray out;
        if (dims.length == xv.rank()) {
            out = Nd4j.scalar(xv.dataType(), xv.sumNumber().doubleValue() * scale);
        } else {
            out = xv.sum(false, dims);
            if (mean) {
                out.muli(scale);
            }
        }

        return Tensor.fromOp(out, g -> {
            long[] keptShape = xv.shape().clone();
            for (int d : dims) {
                keptShape[d] = 1;
            }
            INDArray gx;
            if (dims.length == xv.rank()) {
                gx = ArrayPool.take(xv.dataType(), xv.shape()).assign(g.getDouble(0) * scale);
            } else {
                // Adding the kept-dims gradient to zeros repeats it along the summed axes.
                gx = Nd4j.zeros(xv.dataType(), xv.shape());
                Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(
                        new INDArray[] {gx, g.reshape('c', keptShape)}, new INDArray[] {gx}));
                if (mean) {
                    gx.muli(scale);
                }
            }
            x.accumulateGradOwned(gx);
        }, x);
    }

    private static int[] normalizedAxes(int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] dims = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (axis < 0 || axis >= rank) {
                throw new IllegalArgumentException("Axis " + axes[i] + " is out of range for rank " + rank);
            }
            dims[i] = axis;
        }
        java.util.Arrays.sort(dims);
        return dims;
    }
}
