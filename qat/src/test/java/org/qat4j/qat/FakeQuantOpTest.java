package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Tensor;

class FakeQuantOpTest {

    // Unsigned 2-bit grid [0, 3], s = 0.5, z = 1: lo = qmin - z = -1, hi = qmax - z = 2.
    // x / s = -6, -1.6, -1.4, -0.4, 0.52, 1.48, 3, 10: below, below, inside (rounds to lo), inside,
    // inside, inside, above, above.
    private static final double[] X = {-3.0, -0.8, -0.7, -0.2, 0.26, 0.74, 1.5, 5.0};
    private static final double[] GRAD_OUT = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final QuantGrid GRID = QuantGrid.unsigned(2);

    private static Tensor run(double[] x, double scale, double zeroPoint, double gradScale, DataType type,
                              Tensor[] leaves) {
        Tensor input = Tensor.parameter(Nd4j.createFromArray(x).castTo(type));
        Tensor s = Tensor.parameter(Nd4j.createFromArray(scale).castTo(type));
        Tensor z = Tensor.parameter(Nd4j.createFromArray(zeroPoint).castTo(type));
        leaves[0] = input;
        leaves[1] = s;
        leaves[2] = z;
        Tensor out = FakeQuantOp.apply(input, s, z, GRID, QuantSpec.PER_TENSOR, gradScale, "t");
        out.backward(Nd4j.createFromArray(GRAD_OUT).castTo(type));
        return out;
    }

    @Test
    void forwardMatchesHandValues() {
        Tensor[] leaves = new Tensor[3];
        Tensor out = run(X, 0.5, 1.0, 1.0, DataType.DOUBLE, leaves);
        assertArrayEquals(new double[] {-0.5, -0.5, -0.5, 0, 0.5, 0.5, 1, 1}, out.value().toDoubleVector(), 0.0);
    }

    @Test
    void steGradientIsOneInsideZeroWhereClipped() {
        Tensor[] leaves = new Tensor[3];
        run(X, 0.5, 1.0, 1.0, DataType.DOUBLE, leaves);
        assertArrayEquals(new double[] {0, 0, 3, 4, 5, 6, 0, 0}, leaves[0].grad().toDoubleVector(), 0.0);
    }

    @Test
    void lsqScaleGradientMatchesClosedForm() {
        // Terms: lo = -1 below, round(t) - t inside, hi = 2 above:
        // 1*-1 + 2*-1 + 3*0.4 + 4*0.4 + 5*0.48 + 6*-0.48 + 7*2 + 8*2 = 29.32.
        double g = 0.125;
        Tensor[] leaves = new Tensor[3];
        run(X, 0.5, 1.0, g, DataType.DOUBLE, leaves);
        assertEquals(29.32 * g, leaves[1].grad().getDouble(0), 1e-12);
    }

    @Test
    void lsqPlusZeroPointGradientMatchesClosedForm() {
        // -s times the output gradient summed over clipped elements: -0.5 * (1 + 2 + 7 + 8) = -9.
        double g = 0.125;
        Tensor[] leaves = new Tensor[3];
        run(X, 0.5, 1.0, g, DataType.DOUBLE, leaves);
        assertEquals(-9.0 * g, leaves[2].grad().getDouble(0), 1e-12);
    }

    @Test
    void floatPathMatchesDoublePath() {
        Tensor[] d = new Tensor[3];
        Tensor[] f = new Tensor[3];
        Tensor outD = run(X, 0.5, 1.0, 0.25, DataType.DOUBLE, d);
        Tensor outF = run(X, 0.5, 1.0, 0.25, DataType.FLOAT, f);
        assertArrayEquals(outD.value().toDoubleVector(), outF.value().castTo(DataType.DOUBLE).toDoubleVector(), 0.0);
        assertArrayEquals(d[0].grad().toDoubleVector(), f[0].grad().castTo(DataType.DOUBLE).toDoubleVector(), 0.0);
        assertEquals(d[1].grad().getDouble(0), f[1].grad().getDouble(0), 1e-5);
        assertEquals(d[2].grad().getDouble(0), f[2].grad().getDouble(0), 1e-6);
    }

    @Test
    void learnedZeroPointIsRoundedInForward() {
        Tensor[] leaves = new Tensor[3];
        Tensor rounded = run(X, 0.5, 1.4, 1.0, DataType.DOUBLE, leaves);
        assertArrayEquals(new double[] {-0.5, -0.5, -0.5, 0, 0.5, 0.5, 1, 1}, rounded.value().toDoubleVector(), 0.0);
    }

    @Test
    void lsqGradScaleFormula() {
        // 784 x 128 weights, 4-bit narrow grid (qmax = 7): 1 / sqrt(100352 * 7) = 1.193e-3.
        assertEquals(1.193e-3, FakeQuantOp.lsqGradScale(100352, QuantGrid.narrowSigned(4)), 1e-6);
    }

    @Test
    void perChannelGradientsMatchPerTensorSlices() {
        // Shape [2, 3, 4], channels along axis 1, each channel with its own scale and zero point.
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5).muli(6);
        INDArray gradOut = Nd4j.rand(DataType.DOUBLE, 2, 3, 4);
        double[] scales = {0.3, 0.7, 1.1};
        double[] zeroPoints = {0, 1, 2};
        QuantGrid grid = QuantGrid.unsigned(2);
        Tensor input = Tensor.parameter(x.dup());
        Tensor s = Tensor.parameter(Nd4j.createFromArray(scales));
        Tensor z = Tensor.parameter(Nd4j.createFromArray(zeroPoints));
        Tensor out = FakeQuantOp.apply(input, s, z, grid, 1, 0.5, "t");
        out.backward(gradOut);

        for (int c = 0; c < 3; c++) {
            Tensor sliceInput = Tensor.parameter(x.get(all(), point(c), all()).dup());
            Tensor sliceScale = Tensor.parameter(Nd4j.createFromArray(scales[c]));
            Tensor sliceZero = Tensor.parameter(Nd4j.createFromArray(zeroPoints[c]));
            Tensor sliceOut = FakeQuantOp.apply(sliceInput, sliceScale, sliceZero, grid, QuantSpec.PER_TENSOR, 0.5, "t");
            sliceOut.backward(gradOut.get(all(), point(c), all()).dup());
            assertArrayEquals(sliceOut.value().reshape(-1).toDoubleVector(),
                    out.value().get(all(), point(c), all()).dup().reshape(-1).toDoubleVector(), 0.0);
            assertArrayEquals(sliceInput.grad().reshape(-1).toDoubleVector(),
                    input.grad().get(all(), point(c), all()).dup().reshape(-1).toDoubleVector(), 0.0);
            assertEquals(sliceScale.grad().getDouble(0), s.grad().getDouble(c), 1e-12);
            assertEquals(sliceZero.grad().getDouble(0), z.grad().getDouble(c), 1e-12);
        }
    }

    @Test
    void perChannelAxisZeroHandValues() {
        // Two rows with s = 1 and s = 0.5, narrow 2-bit grid [-1, 1], z = 0.
        INDArray x = Nd4j.createFromArray(new double[][] {{-2.0, 0.3, 0.6}, {-2.0, 0.3, 0.6}});
        Tensor input = Tensor.parameter(x);
        Tensor s = Tensor.parameter(Nd4j.createFromArray(1.0, 0.5));
        Tensor out = FakeQuantOp.apply(input, s, null, QuantGrid.narrowSigned(2), 0, 1.0, "w");
        out.backward(Nd4j.onesLike(x));
        assertArrayEquals(new double[] {-1, 0, 1, -0.5, 0.5, 0.5}, out.value().reshape(-1).toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {0, 1, 1, 0, 1, 1}, input.grad().reshape(-1).toDoubleVector(), 0.0);
        // Row 0: -1 + (0 - 0.3) + (1 - 0.6) = -0.9. Row 1: t = -4, 0.6, 1.2 -> -1 + 0.4 + (1 - 1.2) = -0.8.
        assertEquals(-0.9, s.grad().getDouble(0), 1e-12);
        assertEquals(-0.8, s.grad().getDouble(1), 1e-12);
    }

    @Test
    void tinyOrNegativeScaleStaysPositiveInForward() {
        Tensor input = Tensor.constant(Nd4j.createFromArray(1.0f, -1.0f));
        Tensor s = Tensor.parameter(Nd4j.createFromArray(-3.0f));
        Tensor out = FakeQuantOp.apply(input, s, null, QuantGrid.narrowSigned(8), QuantSpec.PER_TENSOR, 1.0, "t");
        for (float v : out.value().toFloatVector()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void clippedScaleGradientMatchesFiniteDifference() {
        // Where every element is clipped, x_hat = s * (qmin - z) or s * (qmax - z) is linear in s, so the
        // LSQ gradient is the true derivative and a central difference must reproduce it.
        double[] x = {-50.0, -9.0, 7.5, 40.0};
        double[] gradOut = {0.5, -1.0, 2.0, 0.25};
        double s = 0.5;
        double z = 1.0;
        Tensor scale = Tensor.parameter(Nd4j.createFromArray(s));
        Tensor out = FakeQuantOp.apply(Tensor.constant(Nd4j.createFromArray(x)), scale,
                Tensor.constant(Nd4j.createFromArray(z)), GRID, QuantSpec.PER_TENSOR, 1.0, "t");
        out.backward(Nd4j.createFromArray(gradOut));

        double h = 1e-6;
        double numeric = (weightedOutput(x, gradOut, s + h, z) - weightedOutput(x, gradOut, s - h, z)) / (2 * h);
        assertEquals(numeric, scale.grad().getDouble(0), 1e-6);
    }

    @Test
    void floatForwardMatchesScalarReference() {
        // Bit-for-bit equality on lengths above the kernels' block size, channel runs that straddle block
        // boundaries, ties (s = 0.25 and x on multiples of 0.125), clipping on both sides, per tensor and per channel.
        int[][] shapes = {{64, 3, 5, 7}, {37, 101}, {5000}};
        int[] axes = {1, 0, QuantSpec.PER_TENSOR};
        QuantGrid grid = QuantGrid.unsigned(4);
        for (int k = 0; k < shapes.length; k++) {
            long[] shape = java.util.Arrays.stream(shapes[k]).asLongStream().toArray();
            INDArray x = tiesAndRandom(shape, 11 + k);
            int channels = axes[k] == QuantSpec.PER_TENSOR ? 1 : shapes[k][axes[k]];
            float[] scales = new float[channels];
            float[] zeroPoints = new float[channels];
            for (int c = 0; c < channels; c++) {
                scales[c] = c % 3 == 0 ? 0.25f : 0.1f + 0.037f * c;
                zeroPoints[c] = c % 16;
            }
            Tensor out = FakeQuantOp.apply(Tensor.constant(x), Tensor.constant(Nd4j.createFromArray(scales)),
                    Tensor.constant(Nd4j.createFromArray(zeroPoints)), grid, axes[k], 1.0, "t");

            float[] expected = scalarFakeQuant(x.reshape(-1).toFloatVector(), shape, axes[k], scales, zeroPoints, grid);
            assertArrayEquals(expected, out.value().reshape(-1).toFloatVector(), "shape " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void blockedGradientsMatchDoublePath() {
        long[] shape = {64, 3, 5, 7};
        INDArray x = tiesAndRandom(shape, 5);
        Nd4j.getRandom().setSeed(6);
        INDArray gradOut = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        double[] scales = {0.25, 0.173, 0.31};
        double[] zeroPoints = {3, 0, 15};
        Tensor[] d = fakeQuantWithGradients(x.castTo(DataType.DOUBLE), gradOut, scales, zeroPoints, DataType.DOUBLE);
        Tensor[] f = fakeQuantWithGradients(x, gradOut.castTo(DataType.FLOAT), scales, zeroPoints, DataType.FLOAT);

        assertArrayEquals(d[0].grad().reshape(-1).toDoubleVector(),
                f[0].grad().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), 0.0);
        for (int c = 0; c < 3; c++) {
            assertEquals(d[1].grad().getDouble(c), f[1].grad().getDouble(c), 1e-4 * Math.abs(d[1].grad().getDouble(c)) + 1e-6);
            assertEquals(d[2].grad().getDouble(c), f[2].grad().getDouble(c), 1e-4 * Math.abs(d[2].grad().getDouble(c)) + 1e-6);
        }
    }

    @Test
    void nonFiniteErrorNamesLaterIndex() {
        float[] values = new float[6000];
        values[4321] = Float.POSITIVE_INFINITY;
        Tensor s = Tensor.constant(Nd4j.createFromArray(0.1f));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FakeQuantOp.apply(Tensor.constant(Nd4j.createFromArray(values)), s, null,
                        QuantGrid.narrowSigned(8), QuantSpec.PER_TENSOR, 1.0, "t"));
        assertTrue(e.getMessage().contains("Infinity at flat index 4321"), e.getMessage());
    }

    /** Returns {input, scale, zero point} after a backward pass of {@code gradOut}, per channel along axis 1. */
    private static Tensor[] fakeQuantWithGradients(INDArray x, INDArray gradOut, double[] scales, double[] zeroPoints,
                                                   DataType type) {
        Tensor input = Tensor.parameter(x.dup());
        Tensor s = Tensor.parameter(Nd4j.createFromArray(scales).castTo(type));
        Tensor z = Tensor.parameter(Nd4j.createFromArray(zeroPoints).castTo(type));
        FakeQuantOp.apply(input, s, z, QuantGrid.unsigned(4), 1, 0.5, "t").backward(gradOut);
        return new Tensor[] {input, s, z};
    }

    /** Returns a FLOAT array of {@code shape}: every third element a multiple of 0.125, the rest in [-6, 6). */
    private static INDArray tiesAndRandom(long[] shape, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 3 == 0 ? 0.125f * (random.nextInt(97) - 48) : (float) (random.nextDouble() * 12 - 6);
        }
        return Nd4j.create(values, shape, 'c');
    }

    /**
     * Plain per-element fake quantization in float: {@code s * (clamp(rint(x / s) + z, qmin, qmax) - z)},
     * written from the formula without the kernels' clamp-then-round reordering or fast rounding.
     */
    private static float[] scalarFakeQuant(float[] x, long[] shape, int axis, float[] scales, float[] zeroPoints,
                                           QuantGrid grid) {
        long inner = 1;
        for (int d = axis + 1; d < shape.length && axis != QuantSpec.PER_TENSOR; d++) {
            inner *= shape[d];
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = axis == QuantSpec.PER_TENSOR ? 0 : (int) ((i / inner) % shape[axis]);
            float s = scales[c];
            float z = zeroPoints[c];
            float q = (float) Math.rint(x[i] / s) + z;
            q = Math.max(grid.qmin(), Math.min(grid.qmax(), q));
            out[i] = s * (q - z);
        }
        return out;
    }

    private static double weightedOutput(double[] x, double[] gradOut, double s, double z) {
        INDArray xHat = Quantizer.fakeQuantize(Nd4j.createFromArray(x), QuantParams.perTensor(GRID, s, (int) z), "t");
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += gradOut[i] * xHat.getDouble(i);
        }
        return sum;
    }
}
