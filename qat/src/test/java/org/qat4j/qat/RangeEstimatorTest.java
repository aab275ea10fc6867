package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RangeEstimatorTest {

    private static final QuantSpec ASYM_U8 = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);
    private static final QuantSpec SYM_N4 = QuantSpec.perTensor(QuantGrid.narrowSigned(4), QuantScheme.SYMMETRIC);

    /** Laplace(0, 1) sample by inverse transform, a heavy-tailed tensor. */
    private static INDArray laplace(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() - 0.5;
            v[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return Nd4j.createFromArray(v);
    }

    @Test
    void minMaxTracksExtremesOverBatches() {
        MinMaxEstimator estimator = new MinMaxEstimator(ASYM_U8);
        estimator.observe(Nd4j.createFromArray(-1f, 0.5f, 2f), "t");
        estimator.observe(Nd4j.createFromArray(-0.5f, 1f), "t");
        assertArrayEquals(new double[] {-1}, estimator.min(), 0.0);
        assertArrayEquals(new double[] {2}, estimator.max(), 0.0);
        assertEquals(QuantParams.fromRange(ASYM_U8, new double[] {-1}, new double[] {2}), estimator.params());
    }

    @Test
    void minMaxPerChannelBothAxes() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1f, -2f, 3f}, {-4f, 5f, 0.5f}});
        MinMaxEstimator rows = new MinMaxEstimator(QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 0));
        rows.observe(x, "t");
        assertArrayEquals(new double[] {-2, -4}, rows.min(), 0.0);
        assertArrayEquals(new double[] {3, 5}, rows.max(), 0.0);
        MinMaxEstimator columns = new MinMaxEstimator(QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 1));
        columns.observe(x, "t");
        assertArrayEquals(new double[] {-4, -2, 0.5}, columns.min(), 0.0);
        assertArrayEquals(new double[] {1, 5, 3}, columns.max(), 0.0);
        QuantParams p = columns.params();
        assertEquals((float) (4.0 / 127), p.scale(0), 0.0);
        assertEquals((float) (5.0 / 127), p.scale(1), 0.0);
        assertEquals((float) (3.0 / 127), p.scale(2), 0.0);
    }

    @Test
    void runningMinMaxAveragesBatches() {
        RunningMinMaxEstimator estimator = new RunningMinMaxEstimator(ASYM_U8);
        estimator.observe(Nd4j.createFromArray(-1f, 1f), "t");
        estimator.observe(Nd4j.createFromArray(-3f, 5f), "t");
        // 0.99 * -1 + 0.01 * -3 = -1.02 and 0.99 * 1 + 0.01 * 5 = 1.04.
        assertEquals(-1.02, estimator.min()[0], 1e-12);
        assertEquals(1.04, estimator.max()[0], 1e-12);
    }

    @Test
    void channelCountChangeRejected() {
        MinMaxEstimator estimator = new MinMaxEstimator(QuantSpec.perChannel(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC, 1));
        estimator.observe(Nd4j.zeros(DataType.FLOAT, 2, 3), "layer");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> estimator.observe(Nd4j.zeros(DataType.FLOAT, 2, 4), "layer"));
        assertTrue(e.getMessage().contains("has 4 channels"), e.getMessage());
    }

    @Test
    void observerErrorNamesLayerOnNaN() {
        for (RangeEstimatorType type : RangeEstimatorType.values()) {
            RangeEstimator estimator = type.create(ASYM_U8, 0.01, 99.9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> estimator.observe(Nd4j.createFromArray(0f, Float.POSITIVE_INFINITY), "fc1.output"));
            assertTrue(e.getMessage().contains("'fc1.output'"), type + ": " + e.getMessage());
        }
    }

    @Test
    void paramsBeforeObservationRejected() {
        for (RangeEstimatorType type : RangeEstimatorType.values()) {
            RangeEstimator estimator = type.create(ASYM_U8, 0.01, 99.9);
            assertThrows(IllegalStateException.class, estimator::params, type.name());
        }
    }

    @Test
    void degenerateTensorsGivePositiveScaleForEveryEstimator() {
        INDArray[] tensors = {Nd4j.zeros(DataType.FLOAT, 10), Nd4j.valueArrayOf(new long[] {7}, -2.5f),
            Nd4j.createFromArray(4f)};
        for (RangeEstimatorType type : RangeEstimatorType.values()) {
            for (QuantSpec spec : new QuantSpec[] {ASYM_U8, SYM_N4}) {
                for (INDArray x : tensors) {
                    RangeEstimator estimator = type.create(spec, 0.01, 99.9);
                    estimator.observe(x, "t");
                    double s = estimator.params().scale(0);
                    assertTrue(s > 0, type + " " + spec + " " + x);
                    assertTrue(Double.isFinite(s), type + " " + spec + " " + x);
                    INDArray xHat = Quantizer.fakeQuantize(x, estimator.params(), "t");
                    assertTrue(Double.isFinite(xHat.sumNumber().doubleValue()), type + " " + x);
                }
            }
        }
    }

    @Test
    void mseBeatsMinMaxOnHeavyTails() {
        INDArray x = laplace(20000, 42);
        for (QuantSpec spec : new QuantSpec[] {SYM_N4, ASYM_U8.withGrid(QuantGrid.unsigned(4)), ASYM_U8}) {
            MinMaxEstimator minMax = new MinMaxEstimator(spec);
            MseRangeEstimator mse = new MseRangeEstimator(spec);
            minMax.observe(x, "t");
            mse.observe(x, "t");
            double minMaxError = mseOf(x, minMax.params());
            double mseError = mseOf(x, mse.params());
            assertTrue(mseError <= minMaxError, spec + ": " + mseError + " > " + minMaxError);
            assertTrue(mse.params().scale(0) < minMax.params().scale(0), "heavy tails should be clipped");
        }
    }

    private static double mseOf(INDArray x, QuantParams p) {
        INDArray d = x.castTo(DataType.DOUBLE).sub(Quantizer.fakeQuantize(x, p, "t").castTo(DataType.DOUBLE));
        return d.mul(d).meanNumber().doubleValue();
    }

    @Test
    void errorCurveWorseAtBothEndsThanAtOptimum() {
        INDArray x = laplace(20000, 1);
        QuantGrid grid = QuantGrid.narrowSigned(4);
        double maxScale = x.amaxNumber().doubleValue() / grid.qmax();
        double[] scales = new double[60];
        for (int k = 0; k < scales.length; k++) {
            scales[k] = maxScale * (k + 1) / scales.length;
        }
        QuantError[] curve = QuantError.sweep(x, grid, 0, scales, "t");
        int best = 0;
        for (int k = 1; k < curve.length; k++) {
            if (curve[k].total() < curve[best].total()) {
                best = k;
            }
        }
        assertTrue(best > 0 && best < curve.length - 1, "optimum at index " + best);
        assertTrue(curve[0].total() > curve[best].total());
        assertTrue(curve[curve.length - 1].total() > curve[best].total());
        // Smallest scale: clipping dominates; min-max scale: nothing is clipped.
        assertTrue(curve[0].clippingError() > curve[0].roundingError());
        assertEquals(0.0, curve[curve.length - 1].clippingError(), 0.0);
        assertEquals(mseOf(x, QuantParams.perTensor(grid, (float) scales[best], 0)), curve[best].total(),
                1e-6 * curve[best].total());
    }

    @Test
    void errorSplitHandValues() {
        // s = 1, narrow 2-bit grid [-1, 1]: 0.25 rounds (error 0.0625), 3 clips to 1 (error 4).
        QuantError[] e = QuantError.sweep(Nd4j.createFromArray(0.25, 3.0), QuantGrid.narrowSigned(2), 0,
                new double[] {1.0}, "t");
        assertEquals(4.0 / 2, e[0].clippingError(), 1e-15);
        assertEquals(0.0625 / 2, e[0].roundingError(), 1e-15);
    }

    @Test
    void percentileClipsTails() {
        float[] v = new float[10001];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        PercentileRangeEstimator estimator = new PercentileRangeEstimator(
                QuantSpec.perTensor(QuantGrid.signed(8), QuantScheme.ASYMMETRIC), 99.0);
        estimator.observe(Nd4j.createFromArray(v).subi(5000f), "t");
        // 1st and 99th percentiles of -5000..5000 are -4900 and 4900.
        QuantParams p = estimator.params();
        assertEquals((float) (9800.0 / 255), p.scale(0), 0.0);
        assertEquals(-128 - (int) Math.rint(-4900 / p.scale(0)), p.zeroPoint(0));
    }

    @Test
    void percentileHundredEqualsMinMax() {
        INDArray x = laplace(5000, 8);
        PercentileRangeEstimator percentile = new PercentileRangeEstimator(ASYM_U8, 100);
        MinMaxEstimator minMax = new MinMaxEstimator(ASYM_U8);
        percentile.observe(x, "t");
        minMax.observe(x, "t");
        assertEquals(minMax.params(), percentile.params());
    }

    @Test
    void percentileFromSampleBeyondCapacity() {
        // 2^21 values in [0, 1): the estimate comes from a 2^20 sample and stays close to 0.999.
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1 << 21);
        PercentileRangeEstimator estimator = new PercentileRangeEstimator(ASYM_U8, 99.9);
        estimator.observe(x, "t");
        assertEquals(0.999 / 255, estimator.params().scale(0), 0.002 / 255);
    }

    @Test
    void lsqInitUsesMeanAbsoluteValue() {
        LsqInitEstimator estimator = new LsqInitEstimator(SYM_N4);
        estimator.observe(Nd4j.createFromArray(1f, -1f, 3f, -3f), "t");
        assertEquals((float) (2 * 2 / Math.sqrt(7)), estimator.params().scale(0), 0.0);
        assertEquals(0, estimator.params().zeroPoint(0));
    }

    @Test
    void lsqInitPerChannel() {
        LsqInitEstimator estimator = new LsqInitEstimator(
                QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 0));
        estimator.observe(Nd4j.createFromArray(new float[][] {{1f, -1f}, {2f, 6f}}), "w");
        assertEquals((float) (2 * 1 / Math.sqrt(127)), estimator.params().scale(0), 0.0);
        assertEquals((float) (2 * 4 / Math.sqrt(127)), estimator.params().scale(1), 0.0);
    }

    @Test
    void mseAndPercentilePerChannelAlongAxisOne() {
        // Channel 0 is heavy-tailed, channel 1 uniform: each channel gets its own range.
        INDArray heavy = laplace(4000, 5).reshape(4000, 1);
        Nd4j.getRandom().setSeed(6);
        INDArray uniform = Nd4j.rand(DataType.FLOAT, 4000, 1).muli(2);
        INDArray x = Nd4j.hstack(heavy, uniform);
        QuantSpec spec = QuantSpec.perChannel(QuantGrid.narrowSigned(4), QuantScheme.SYMMETRIC, 1);
        MseRangeEstimator mse = new MseRangeEstimator(spec);
        mse.observe(x, "t");
        for (int c = 0; c < 2; c++) {
            INDArray column = x.getColumn(c).dup();
            MseRangeEstimator single = new MseRangeEstimator(QuantSpec.perTensor(QuantGrid.narrowSigned(4), QuantScheme.SYMMETRIC));
            single.observe(column, "t");
            assertEquals(single.params().scale(0), mse.params().scale(c), 0.0, "channel " + c);
        }
    }
}
