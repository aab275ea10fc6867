package org.qat4j.autograd.nn;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.NativeRows;

/**
 * Weight initialization from a seed. He (Kaiming) normal initialization (He et al., 2015,
 * "Delving Deep into Rectifiers") draws {@code w ~ N(0, 2 / fanIn)}, which keeps the variance
 * of activations constant through ReLU layers. The normal draws come from
 * {@link SplittableRandom} through the Box-Muller transform, so the same seed gives the same
 * weights on every JDK.
 */
public final class Init {

    private Init() {
    }

    /** Returns a FLOAT array of {@code shape} drawn from {@code N(0, 2 / fanIn)}. */
    public static INDArray kaimingNormal(long seed, long fanIn, long... shape) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fanIn " + fanIn + " is invalid; it must be at least 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape);
        int length = Math.toIntExact(array.length());
        double std = Math.sqrt(2.0 / fanIn);
        double[] values = new double[length];
        for (int i = 0; i < length; i += 2) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double radius = Math.sqrt(-2.0 * Math.log(u1));
            values[i] = std * radius * Math.cos(2 * Math.PI * u2);
            if (i + 1 < length) {
                values[i + 1] = std * radius * Math.sin(2 * Math.PI * u2);
            }
        }
        NativeRows.writeAll(array, values);
        return array;
    }

    /** Derives the seed of layer {@code index} from a model seed, so layers get independent streams. */
    public static long layerSeed(long seed, int index) {
        return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (index + 1)).nextLong();
    }
}
