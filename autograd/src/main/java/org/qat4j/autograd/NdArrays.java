package org.qat4j.autograd;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Helpers for the off-heap arrays behind tensors: freeing them early, checking layout and
 * dtype. ND4J frees a native buffer only when its owner is garbage collected or closed, so
 * temporaries that a step creates are closed here as soon as they are no longer needed.
 */
public final class NdArrays {

    private NdArrays() {
    }

    /** Frees the native memory of {@code array} now, if it owns its buffer; views are left alone. */
    public static void release(INDArray array) {
        if (array != null && array.closeable() && !array.wasClosed()) {
            array.close();
        }
    }

    /** Returns true when both arrays read or write the same native buffer. */
    public static boolean sharesMemory(INDArray a, INDArray b) {
        return a.data().platformAddress() == b.data().platformAddress();
    }

    /** Returns true for a c-order array whose elements are contiguous from {@code offset()}. */
    public static boolean isContiguous(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            // A dimension of size 1 never uses its stride, and ND4J may store any value there.
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Returns {@code array} itself when contiguous in c order, otherwise a c-order copy. */
    public static INDArray contiguous(INDArray array) {
        return isContiguous(array) ? array : array.dup('c');
    }

    /** Checks that the dtype is FLOAT or DOUBLE, the two dtypes the ops support. */
    public static void checkFloatingPoint(INDArray array, String what) {
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " has dtype " + type
                    + "; the autograd ops support FLOAT and DOUBLE. Convert with castTo(DataType.FLOAT)");
        }
    }

    /** Checks that two arrays have the same dtype. */
    public static void checkSameType(INDArray a, INDArray b, String what) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(what + ": dtypes differ (" + a.dataType() + " and "
                    + b.dataType() + "); convert both to FLOAT or both to DOUBLE");
        }
    }

    /** Checks the rank of an op input. */
    public static void checkRank(INDArray array, int rank, String what) {
        if (array.rank() != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", but its shape is "
                    + Arrays.toString(array.shape()));
        }
    }
}
