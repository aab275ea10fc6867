package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class QuantizerTest {

    private static int[] ints(INDArray a) {
        return a.toIntVector();
    }

    private static INDArray floats(float... values) {
        return Nd4j.createFromArray(values);
    }

    @Test
    void roundsHalfToEven() {
        QuantParams p = QuantParams.perTensor(QuantGrid.signed(8), 1.0, 0);
        INDArray x = floats(2.5f, -1.5f, 0.5f, -0.5f, 3.5f, -2.5f, 1.5f, 2.4999998f, 2.5000002f);
        assertArrayEquals(new int[] {2, -2, 0, 0, 4, -2, 2, 2, 3}, ints(Quantizer.quantize(x, p, "t")));
        INDArray xd = x.castTo(DataType.DOUBLE);
        assertArrayEquals(new int[] {2, -2, 0, 0, 4, -2, 2, 2, 3}, ints(Quantizer.quantize(xd, p, "t")));
    }

    @Test
    void tiesRoundBeforeZeroPoint() {
        // x / s = 2.5, 3.5, -1.5 with s = 0.5, then z = 10 is added after rounding.
        QuantParams p = QuantParams.perTensor(QuantGrid.unsigned(8), 0.5, 10);
        INDArray x = floats(1.25f, 1.75f, -0.75f);
        assertArrayEquals(new int[] {12, 14, 8}, ints(Quantizer.quantize(x, p, "t")));
    }

    @Test
    void valuesJustOutsideRangeAreClipped() {
        // Unsigned 4 bit, s = 0.5, z = 0: representable range [0, 7.5].
        QuantParams p = QuantParams.perTensor(QuantGrid.unsigned(4), 0.5, 0);
        INDArray x = floats(7.74f, 7.76f, 8.0f, 100f, -0.24f, -0.26f, -100f);
        assertArrayEquals(new int[] {15, 15, 15, 15, 0, 0, 0}, ints(Quantizer.quantize(x, p, "t")));
        INDArray xHat = Quantizer.fakeQuantize(x, p, "t");
        assertArrayEquals(new float[] {7.5f, 7.5f, 7.5f, 7.5f, 0f, 0f, 0f}, xHat.toFloatVector(), 0f);
    }

    @Test
    void narrowGridClipsAtMinusQmax() {
        QuantParams p = QuantParams.perTensor(QuantGrid.narrowSigned(4), 1.0, 0);
        INDArray x = floats(-8f, -7.4f, -7.6f, 7.6f);
        assertArrayEquals(new int[] {-7, -7, -7, 7}, ints(Quantizer.quantize(x, p, "t")));
        QuantParams full = QuantParams.perTensor(QuantGrid.signed(4), 1.0, 0);
        assertArrayEquals(new int[] {-8, -7, -8, 7}, ints(Quantizer.quantize(x, full, "t")));
    }

    @Test
    void asymmetricHandComputedValues() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);
        QuantParams p = QuantParams.fromRange(spec, new double[] {-1.0}, new double[] {2.0});
        INDArray x = floats(-1f, 0f, 2f, -2f, 3f);
        assertArrayEquals(new int[] {0, 85, 255, 0, 255}, ints(Quantizer.quantize(x, p, "t")));
        float s = (float) p.scale(0);
        assertArrayEquals(new float[] {-85 * s, 0f, 170 * s, -85 * s, 170 * s},
                Quantizer.dequantize(Quantizer.quantize(x, p, "t"), p).toFloatVector(), 1e-6f);
    }

    @Test
    void rangeExcludingZeroKeepsZeroExact() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(2), QuantScheme.ASYMMETRIC);
        QuantParams p = QuantParams.fromRange(spec, new double[] {1.0}, new double[] {5.0});
        assertEquals((float) (5.0 / 3), p.scale(0), 0.0);
        assertEquals(0, p.zeroPoint(0));
        INDArray x = floats(0f, 1f, 5f, 6f);
        assertArrayEquals(new int[] {0, 1, 3, 3}, ints(Quantizer.quantize(x, p, "t")));
    }

    @Test
    void realZeroIsExactForRandomRanges() {
        Random random = new Random(11);
        QuantGrid[] grids = {QuantGrid.unsigned(8), QuantGrid.unsigned(3), QuantGrid.signed(4),
            QuantGrid.narrowSigned(8), QuantGrid.signed(16)};
        for (int i = 0; i < 2000; i++) {
            QuantGrid grid = grids[i % grids.length];
            QuantScheme scheme = QuantScheme.values()[(i / grids.length) % 2];
            double a = random.nextGaussian() * Math.exp(random.nextGaussian() * 3);
            double b = random.nextGaussian() * Math.exp(random.nextGaussian() * 3);
            QuantSpec spec = QuantSpec.perTensor(grid, scheme).withPowerOfTwoScale(random.nextBoolean());
            QuantParams p = QuantParams.fromRange(spec, new double[] {Math.min(a, b)}, new double[] {Math.max(a, b)});
            INDArray zero = floats(0f, -0f);
            int[] q = ints(Quantizer.quantize(zero, p, "t"));
            assertEquals(p.zeroPoint(0), q[0], p.toString());
            assertEquals(p.zeroPoint(0), q[1], p.toString());
            assertEquals(0.0f, Quantizer.dequantize(Nd4j.createFromArray(q), p).getFloat(0), 0.0f, p.toString());
            assertEquals(0.0, Math.abs(Quantizer.fakeQuantize(zero, p, "t").getFloat(0)), 0.0, p.toString());
            assertEquals(0.0, Math.abs(Quantizer.fakeQuantize(zero.castTo(DataType.DOUBLE), p, "t").getDouble(1)), 0.0);
        }
    }

    @Test
    void degenerateTensorsHaveNoNaN() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);
        INDArray[] tensors = {Nd4j.zeros(DataType.FLOAT, 4, 3), Nd4j.valueArrayOf(new long[] {5}, 2.5f),
            floats(-3f)};
        for (INDArray x : tensors) {
            double min = x.minNumber().doubleValue();
            double max = x.maxNumber().doubleValue();
            QuantParams p = QuantParams.fromRange(spec, new double[] {min}, new double[] {max});
            assertTrue(p.scale(0) > 0, p.toString());
            INDArray xHat = Quantizer.fakeQuantize(x, p, "t");
            for (float v : xHat.reshape(-1).toFloatVector()) {
                assertTrue(Float.isFinite(v), p.toString());
            }
            assertEquals(x.maxNumber().doubleValue(), xHat.maxNumber().doubleValue(), p.scale(0) / 2 + 1e-7);
        }
    }

    @Test
    void nonFiniteValueErrorNamesLayer() {
        QuantParams p = QuantParams.perTensor(QuantGrid.unsigned(8), 0.1, 0);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.fakeQuantize(floats(1f, Float.NaN), p, "conv1.output"));
        assertTrue(nan.getMessage().contains("'conv1.output'"), nan.getMessage());
        assertTrue(nan.getMessage().contains("NaN at flat index 1"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(floats(Float.NEGATIVE_INFINITY).castTo(DataType.DOUBLE), p, "fc2.weight"));
        assertTrue(inf.getMessage().contains("'fc2.weight'"), inf.getMessage());
        assertTrue(inf.getMessage().contains("-Infinity"), inf.getMessage());
    }

    @Test
    void fastFloatPathMatchesRintReference() {
        Random random = new Random(3);
        int n = 20000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * 3);
            if (i % 7 == 0) {
                x[i] = Math.round(x[i] * 8) / 8f;
            }
        }
        float s = 0.0625f;
        int z = 3;
        QuantParams p = QuantParams.perTensor(QuantGrid.signed(5), s, z);
        float[] xHat = Quantizer.fakeQuantize(Nd4j.createFromArray(x), p, "t").toFloatVector();
        for (int i = 0; i < n; i++) {
            float q = (float) Math.max(-16, Math.min(15, Math.rint(x[i] / s) + z));
            assertEquals(s * (q - z), xHat[i], 0f, "x = " + x[i]);
        }
    }

    @Test
    void perChannelAlongAxisOneMatchesSlices() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 5).subi(0.5).muli(8);
        double[] scales = {0.1, 0.25, 0.5, 1.0};
        int[] zeroPoints = {0, 3, 7, 15};
        QuantGrid grid = QuantGrid.unsigned(4);
        QuantParams perChannel = new QuantParams(grid, 1, scales, zeroPoints);
        INDArray q = Quantizer.quantize(x, perChannel, "t");
        INDArray xHat = Quantizer.fakeQuantize(x, perChannel, "t");
        for (int c = 0; c < 4; c++) {
            QuantParams single = QuantParams.perTensor(grid, scales[c], zeroPoints[c]);
            INDArray slice = x.get(all(),
                    point(c), all());
            INDArray qSlice = q.get(all(),
                    point(c), all());
            INDArray hatSlice = xHat.get(all(),
                    point(c), all());
            assertArrayEquals(Quantizer.quantize(slice, single, "t").reshape(-1).toIntVector(),
                    qSlice.dup().reshape(-1).toIntVector(), "channel " + c);
            assertArrayEquals(Quantizer.fakeQuantize(slice, single, "t").reshape(-1).toFloatVector(),
                    hatSlice.dup().reshape(-1).toFloatVector(), 0f, "channel " + c);
        }
    }

    @Test
    void perChannelAlongAxisZeroUsesChannelScale() {
        INDArray w = Nd4j.createFromArray(new float[][] {{1f, -2f, 0.26f}, {1f, -2f, 0.26f}});
        QuantParams p = new QuantParams(QuantGrid.narrowSigned(8), 0, new double[] {0.5, 0.25}, new int[] {0, 0});
        assertArrayEquals(new int[] {2, -4, 1, 4, -8, 1}, Quantizer.quantize(w, p, "w").reshape(-1).toIntVector());
    }
}
