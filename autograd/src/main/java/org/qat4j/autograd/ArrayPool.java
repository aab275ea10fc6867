package org.qat4j.autograd;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-thread pool of native arrays. Op outputs, column matrices of convolutions, reordered
 * copies and the gradients that flow between ops are taken from it; arrays come back when
 * their owner knows they are dead: temporaries at the end of the op, gradients once pushed to
 * the parents, and the outputs that {@code Sequential} passes between its children once the
 * backward pass through them is complete (or at once when no graph is recorded). A training
 * step repeats the same shapes, so after the first step no fresh native memory is needed:
 * fresh off-heap arrays cost page faults on every step and are freed only by the garbage
 * collector unless closed.
 *
 * <p>An array given back must not be used again by the code that gave it. The pool keeps at
 * most {@link #MAX_PER_SHAPE} arrays per shape and {@link #MAX_BYTES} bytes per thread and
 * closes what does not fit.
 */
public final class ArrayPool {

    static final int MAX_PER_SHAPE = 8;
    static final long MAX_BYTES = 256L << 20;

    private static final ThreadLocal<ArrayPool> POOLS = ThreadLocal.withInitial(ArrayPool::new);

    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    private long bytes;

    private ArrayPool() {
    }

    private record Key(DataType type, long[] shape) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.type == type && Arrays.equals(key.shape, shape);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(shape);
        }
    }

    /** Returns a c-order array of {@code shape} with undefined contents, reused when one is free. */
    public static INDArray take(DataType type, long... shape) {
        ArrayPool pool = POOLS.get();
        ArrayDeque<INDArray> arrays = pool.free.get(new Key(type, shape));
        if (arrays != null) {
            INDArray array = arrays.pollFirst();
            if (array != null) {
                pool.bytes -= sizeInBytes(array);
                return array;
            }
        }
        return Nd4j.createUninitialized(type, shape);
    }

    /**
     * Gives {@code array} back for reuse; the caller must not use it afterwards. Views and
     * arrays already closed are ignored; arrays that do not fit in the pool are closed.
     */
    public static void give(INDArray array) {
        if (array == null || !array.closeable() || array.wasClosed() || array.isView()) {
            return;
        }
        if (array.ordering() != 'c' || !NdArrays.isContiguous(array)) {
            // take() promises c-order arrays, so other layouts are freed instead of pooled.
            array.close();
            return;
        }
        ArrayPool pool = POOLS.get();
        Key key = new Key(array.dataType(), array.shape());
        ArrayDeque<INDArray> arrays = pool.free.computeIfAbsent(key, k -> new ArrayDeque<>());
        long size = sizeInBytes(array);
        for (INDArray pooled : arrays) {
            if (pooled == array) {
                return;
            }
        }
        if (arrays.size() >= MAX_PER_SHAPE || pool.bytes + size > MAX_BYTES) {
            array.close();
            return;
        }
        arrays.addFirst(array);
        pool.bytes += size;
    }

    /**
     * Closes every pooled array of the calling thread, for example after evaluating with a
     * large batch whose arrays training will not reuse.
     */
    public static void clear() {
        ArrayPool pool = POOLS.get();
        pool.free.values().forEach(arrays -> arrays.forEach(INDArray::close));
        pool.free.clear();
        pool.bytes = 0;
    }

    private static long sizeInBytes(INDArray array) {
        return array.length() * array.dataType().width();
    }
}
