package org.qat4j.autograd;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between the native buffer of a FLOAT or DOUBLE array and Java {@code double[]}
 * rows, so that the Java kernels are written once, run on plain arrays that the JIT can
 * vectorize, and work for both dtypes. Indices count elements from the array's first element
 * (its {@code offset()} is added here); the array must be contiguous in c order.
 */
public final class NativeRows {

    private static final int CHUNK = 8192;
    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private NativeRows() {
    }

    /** Copies {@code length} elements starting at element {@code index} of {@code array} into {@code dst}. */
    public static void read(INDArray array, long index, double[] dst, int dstOffset, int length) {
        of(array).read(index, dst, dstOffset, length);
    }

    /** Copies {@code length} elements of {@code src} into {@code array} starting at element {@code index}. */
    public static void write(INDArray array, long index, double[] src, int srcOffset, int length) {
        of(array).write(index, src, srcOffset, length);
    }

    /** Returns an accessor for {@code array}; kernels that copy many rows create it once per array. */
    public static Access of(INDArray array) {
        return new Access(array);
    }

    /** Row access to one array's native buffer. */
    public static final class Access {
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        private final long offset;
        private final float[] chunk;

        private Access(INDArray array) {
            this.offset = array.offset();
            if (array.dataType() == DataType.DOUBLE) {
                this.doubles = array.data().asNioDouble();
                this.floats = null;
                this.chunk = null;
            } else {
                checkFloat(array);
                this.floats = array.data().asNioFloat();
                this.doubles = null;
                this.chunk = FLOATS.get();
            }
        }

        /** Copies {@code length} elements starting at element {@code index} into {@code dst}. */
        public void read(long index, double[] dst, int dstOffset, int length) {
            int start = Math.toIntExact(offset + index);
            if (doubles != null) {
                doubles.get(start, dst, dstOffset, length);
                return;
            }
            for (int done = 0; done < length; done += CHUNK) {
                int n = Math.min(CHUNK, length - done);
                floats.get(start + done, chunk, 0, n);
                int base = dstOffset + done;
                for (int i = 0; i < n; i++) {
                    dst[base + i] = chunk[i];
                }
            }
        }

        /** Copies {@code length} elements of {@code src} into the array starting at element {@code index}. */
        public void write(long index, double[] src, int srcOffset, int length) {
            int start = Math.toIntExact(offset + index);
            if (doubles != null) {
                doubles.put(start, src, srcOffset, length);
                return;
            }
            for (int done = 0; done < length; done += CHUNK) {
                int n = Math.min(CHUNK, length - done);
                int base = srcOffset + done;
                for (int i = 0; i < n; i++) {
                    chunk[i] = (float) src[base + i];
                }
                floats.put(start + done, chunk, 0, n);
            }
        }
    }

    /** Reads a whole contiguous array into a new or reused {@code double[]} of at least its length. */
    public static double[] readAll(INDArray array, double[] reuse) {
        int n = Math.toIntExact(array.length());
        double[] dst = reuse != null && reuse.length >= n ? reuse : new double[n];
        read(array, 0, dst, 0, n);
        return dst;
    }

    /** Writes {@code array.length()} elements of {@code src} into a contiguous array. */
    public static void writeAll(INDArray array, double[] src) {
        write(array, 0, src, 0, Math.toIntExact(array.length()));
    }

    private static void checkFloat(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("Expected a FLOAT or DOUBLE array, got " + array.dataType());
        }
    }
}
