package org.qat4j.qat;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.Tensor;

/**
 * Bulk copies between ND4J arrays and Java arrays in c order, and the finiteness check, so the
 * quantization kernels can run as plain Java loops (much faster than per-element ND4J access).
 */
final class Buffers {

    private static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INT_SPECIES = IntVector.SPECIES_PREFERRED;

    private Buffers() {
    }

    private static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && !x.isView() ? x : x.dup('c');
    }

    /** Returns {@code x} when it is a c-order FLOAT array that is not a view, else a c-order FLOAT copy. */
    static INDArray contiguousFloat(INDArray x) {
        INDArray floats = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        return contiguous(floats);
    }

    static float[] readFloats(INDArray x) {
        INDArray c = contiguous(x);
        int n = (int) c.length();
        float[] out = new float[n];
        if (c.dataType() == DataType.FLOAT) {
            FloatBuffer buffer = c.data().asNioFloat();
            buffer.position((int) c.offset());
            buffer.get(out, 0, n);
        } else {
            double[] values = readDoubles(c);
            for (int i = 0; i < n; i++) {
                out[i] = (float) values[i];
            }
        }
        return out;
    }

    static double[] readDoubles(INDArray x) {
        INDArray c = contiguous(x);
        int n = (int) c.length();
        double[] out = new double[n];
        if (c.dataType() == DataType.DOUBLE) {
            DoubleBuffer buffer = c.data().asNioDouble();
            buffer.position((int) c.offset());
            buffer.get(out, 0, n);
        } else if (c.dataType() == DataType.FLOAT) {
            float[] values = readFloats(c);
            for (int i = 0; i < n; i++) {
                out[i] = values[i];
            }
        } else {
            INDArray converted = c.castTo(DataType.DOUBLE);
            return readDoubles(converted);
        }
        return out;
    }

    /** Copies {@code data} into a new c-order FLOAT array (a bulk copy, much faster than {@code Nd4j.create}). */
    static INDArray create(float[] data, long[] shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (data.length > 0) {
            out.data().asNioFloat().put(data, 0, data.length);
        }
        return out;
    }

    /**
     * Copies {@code data} into a c-order array of {@code type} (FLOAT or DOUBLE) from the autograd's pool, for a
     * gradient handed over with ownership. A FLOAT copy rounds each value to nearest, as {@code castTo} does.
     */
    static INDArray pooledCopy(double[] data, DataType type, long[] shape) {
        INDArray out = ArrayPool.take(type, shape);
        if (type == DataType.DOUBLE) {
            out.data().asNioDouble().put(0, data, 0, data.length);
        } else if (type == DataType.FLOAT) {
            float[] floats = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                floats[i] = (float) data[i];
            }
            out.data().asNioFloat().put(0, floats, 0, floats.length);
        } else {
            ArrayPool.give(out);
            return create(data, shape).castTo(type);
        }
        return out;
    }

    static INDArray create(double[] data, long[] shape) {
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        if (data.length > 0) {
            out.data().asNioDouble().put(data, 0, data.length);
        }
        return out;
    }

    /**
     * Hands back the value of {@code temporary}, computed from {@code source} inside a layer's forward pass,
     * to {@link ArrayPool} once the op that consumed it no longer needs it. That is at the end of the backward
     * pass when a graph was recorded, else at once. Does nothing when {@code temporary} is {@code source}.
     */
    static void releaseAfterUse(Tensor temporary, Tensor source) {
        if (temporary == source) {
            return;
        }
        if (temporary.isLeaf()) {
            ArrayPool.give(temporary.value());
        } else {
            temporary.disposeAfterBackward();
        }
    }

    /** Throws an error naming {@code tensorName} when {@code values} contains NaN or an infinity. */
    static void requireFinite(float[] values, String tensorName) {
        requireFinite(values, values.length, 0, tensorName);
    }

    /**
     * Throws an error naming {@code tensorName} when the first {@code length} elements of {@code block},
     * which start at flat index {@code firstIndex} of the tensor, contain NaN or an infinity.
     */
    static void requireFinite(float[] block, int length, int firstIndex, String tensorName) {
        // Adding 2^23 to the exponent field sets the sign bit only for an all-ones exponent (NaN or infinity).
        // C2 does not vectorize the scalar loop. This Vector API form ran about ten times faster (JDK 17, AVX-512).
        IntVector vectorFlags = IntVector.zero(INT_SPECIES);
        int i = 0;
        for (int bound = FLOAT_SPECIES.loopBound(length); i < bound; i += FLOAT_SPECIES.length()) {
            IntVector bits = FloatVector.fromArray(FLOAT_SPECIES, block, i).reinterpretAsInts();
            vectorFlags = vectorFlags.or(bits.and(0x7f800000).add(0x00800000));
        }
        int flags = vectorFlags.reduceLanes(VectorOperators.OR);
        for (; i < length; i++) {
            flags |= (Float.floatToRawIntBits(block[i]) & 0x7f800000) + 0x00800000;
        }
        if (flags < 0) {
            int index = 0;
            while (Float.isFinite(block[index])) {
                index++;
            }
            throw nonFinite(tensorName, describe(firstIndex + index, block[index]));
        }
    }

    static void requireFinite(double[] values, String tensorName) {
        long maxExponent = 0;
        for (double v : values) {
            maxExponent = Math.max(maxExponent, Double.doubleToRawLongBits(v) & 0x7ff0000000000000L);
        }
        if (maxExponent == 0x7ff0000000000000L) {
            int index = 0;
            while (Double.isFinite(values[index])) {
                index++;
            }
            throw nonFinite(tensorName, describe(index, values[index]));
        }
    }

    private static String describe(int index, double value) {
        return value + " at flat index " + index;
    }

    private static IllegalArgumentException nonFinite(String tensorName, String where) {
        return new IllegalArgumentException("Tensor quantized by '" + tensorName + "' contains " + where
                + ": NaN or infinity cannot be quantized (check the learning rate and the input data).");
    }

    static String shapeOf(INDArray x) {
        return Arrays.toString(x.shape());
    }
}
