package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.optim.Optimizer;
import org.qat4j.autograd.optim.Sgd;

class FakeQuantizeTest {

    private static final QuantSpec ACT = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);

    private static FakeQuantize activation(RangeEstimatorType type, boolean learnScale, boolean learnOffset) {
        return new FakeQuantize("act", FakeQuantize.Role.ACTIVATION, type.create(ACT, 0.01, 99.9), 1,
                learnScale, learnOffset);
    }

    private static INDArray batch(long seed, float spread) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, 8, 5).muli(spread);
    }

    @Test
    void observerChangesNothingInEvalMode() {
        for (RangeEstimatorType type : RangeEstimatorType.values()) {
            FakeQuantize q = activation(type, false, false);
            q.forward(Tensor.constant(batch(1, 1f)));
            QuantParams before = q.params();
            q.eval();
            for (int i = 0; i < 20; i++) {
                q.forward(Tensor.constant(batch(100 + i, 10f)));
            }
            assertEquals(before, q.params(), type.name());
        }
    }

    @Test
    void observerChangesNothingOnceFrozen() {
        for (RangeEstimatorType type : RangeEstimatorType.values()) {
            FakeQuantize q = activation(type, false, false);
            q.forward(Tensor.constant(batch(1, 1f)));
            q.freeze();
            QuantParams before = q.params();
            INDArray scaleBits = q.stateDict().get("scale").dup();
            for (int i = 0; i < 20; i++) {
                q.forward(Tensor.constant(batch(200 + i, 10f)));
            }
            assertEquals(before, q.params(), type.name());
            assertEquals(scaleBits, q.stateDict().get("scale"), type.name());
            assertFalse(q.isObserverEnabled());
        }
    }

    @Test
    void trainingModeObserverUpdatesParams() {
        FakeQuantize q = activation(RangeEstimatorType.MIN_MAX, false, false);
        q.forward(Tensor.constant(Nd4j.createFromArray(-1f, 2f)));
        assertEquals(85, q.params().zeroPoint(0));
        q.forward(Tensor.constant(Nd4j.createFromArray(-3f, 0f)));
        assertEquals((float) (5.0 / 255), q.params().scale(0), 0.0);
    }

    @Test
    void weightRangeFollowsCurrentTensor() {
        QuantSpec spec = QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 0);
        FakeQuantize q = new FakeQuantize("w", FakeQuantize.Role.WEIGHT, new MinMaxEstimator(spec), 2, false, false);
        q.forward(Tensor.constant(Nd4j.createFromArray(new float[][] {{2.54f, -1f}, {1f, 1.27f}})));
        q.forward(Tensor.constant(Nd4j.createFromArray(new float[][] {{1.27f, -1f}, {1f, 0.254f}})));
        assertEquals((float) 0.01, q.params().scale(0), 0.0);
        assertEquals((float) (1.0 / 127), q.params().scale(1), 0.0);
    }

    @Test
    void uncalibratedForwardRejected() {
        FakeQuantize q = activation(RangeEstimatorType.MIN_MAX, false, false);
        q.eval();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> q.forward(Tensor.constant(batch(1, 1f))));
        assertTrue(e.getMessage().contains("'act'"), e.getMessage());
    }

    @Test
    void disabledFakeQuantPassesInputThrough() {
        FakeQuantize q = activation(RangeEstimatorType.MIN_MAX, false, false);
        q.enableFakeQuant(false);
        Tensor x = Tensor.constant(batch(3, 1f));
        assertSame(x, q.forward(x));
        // The observer still ran, as in calibration.
        double min = x.value().minNumber().doubleValue();
        double max = x.value().maxNumber().doubleValue();
        assertEquals(QuantParams.fromRange(ACT, new double[] {min}, new double[] {max}), q.params());
    }

    @Test
    void nonFiniteInputErrorNamesQuantizer() {
        FakeQuantize q = activation(RangeEstimatorType.RUNNING_MIN_MAX, false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.forward(Tensor.constant(Nd4j.createFromArray(1f, Float.NaN))));
        assertTrue(e.getMessage().contains("'act'"), e.getMessage());
    }

    @Test
    void learnedScaleGradientUsesLsqScale() {
        FakeQuantize q = activation(RangeEstimatorType.MIN_MAX, true, true);
        INDArray x = batch(4, 2f);
        q.forward(Tensor.constant(x));
        q.freeze();
        Tensor out = q.forward(Tensor.constant(x));
        out.backward(Nd4j.onesLike(out.value()));

        QuantParams p = q.params();
        Tensor s = Tensor.parameter(Nd4j.createFromArray((float) p.scale(0)));
        Tensor z = Tensor.parameter(Nd4j.createFromArray((float) p.zeroPoint(0)));
        // Activations count elements per example: N = 5 features, qmax = 255.
        double g = 1 / Math.sqrt(5.0 * 255);
        Tensor reference = FakeQuantOp.apply(Tensor.constant(x), s, z, ACT.grid(), QuantSpec.PER_TENSOR, g, "ref");
        reference.backward(Nd4j.onesLike(reference.value()));
        assertEquals(s.grad().getDouble(0), q.scaleParameter().grad().getDouble(0), 1e-6);
        assertEquals(z.grad().getDouble(0), q.zeroPointParameter().grad().getDouble(0), 1e-6);
    }

    @Test
    void learnedScaleStaysPositiveAfterHugeStep() {
        FakeQuantize q = activation(RangeEstimatorType.MIN_MAX, true, true);
        INDArray x = batch(5, 1f);
        q.forward(Tensor.constant(x));
        q.freeze();
        Optimizer sgd = Qat.constrained(new Sgd(Qat.quantizerParameters(q), 1e6, 0, 0), q);
        // Large positive inputs clip above, where d x_hat / d s = qmax - z > 0; with dL/dx_hat = 1000 the
        // gradient of s is large and positive, so SGD drives s far below zero without the constraint.
        Tensor out = q.forward(Tensor.constant(Transforms.abs(x).muli(10)));
        out.backward(Nd4j.onesLike(out.value()).muli(1000));
        double gradient = q.scaleParameter().grad().getDouble(0);
        assertTrue(gradient > 0, "gradient " + gradient);
        sgd.step();
        double s = q.scaleParameter().value().getDouble(0);
        assertTrue(s > 0, "scale " + s);
        assertEquals(QuantParams.MIN_SCALE, s, 1e-12);
        double z = q.zeroPointParameter().value().getDouble(0);
        assertTrue(z >= 0, "zero point " + z);
        assertTrue(z <= 255, "zero point " + z);
        INDArray after = q.forward(Tensor.constant(x)).value();
        assertTrue(Double.isFinite(after.sumNumber().doubleValue()));
        assertTrue(q.params().scale(0) > 0);
    }

    @Test
    void stateDictRoundTripKeepsParams() {
        FakeQuantize q = activation(RangeEstimatorType.MSE, false, false);
        q.forward(Tensor.constant(batch(6, 3f)));
        q.freeze();
        Map<String, INDArray> state = q.stateDict();
        assertEquals(List.of("scale", "zero_point", "initialized"), List.copyOf(state.keySet()));
        FakeQuantize copy = activation(RangeEstimatorType.MSE, false, false);
        copy.loadStateDict(state);
        assertTrue(copy.isInitialized());
        assertEquals(q.params(), copy.params());
    }

    @Test
    void fixedQuantizerIgnoresObserverSwitch() {
        QuantParams p = QuantParams.perTensor(QuantGrid.unsigned(8), (float) (1.0 / 255), 0);
        FakeQuantize q = FakeQuantize.fixed("input", FakeQuantize.Role.ACTIVATION, ACT, p);
        q.enableObserver(true);
        assertFalse(q.isObserverEnabled());
        INDArray pixels = Nd4j.createFromArray(0f, 1f / 255, 128f / 255, 1f);
        assertArrayEquals(pixels.toFloatVector(), q.forward(Tensor.constant(pixels)).value().toFloatVector(), 1e-7f);
        assertEquals(p, q.params());
    }

    @Test
    void symmetricLearnedOffsetRejected() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC);
        assertThrows(IllegalArgumentException.class, () -> new FakeQuantize("w", FakeQuantize.Role.WEIGHT,
                new MinMaxEstimator(spec), 1, true, true));
    }

    @Test
    void learnedPowerOfTwoScaleRejected() {
        QuantSpec spec = ACT.withPowerOfTwoScale(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FakeQuantize("act",
                FakeQuantize.Role.ACTIVATION, new MinMaxEstimator(spec), 1, true, false));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
    }

    @Test
    void powerOfTwoScaleFromObserver() {
        FakeQuantize q = new FakeQuantize("act", FakeQuantize.Role.ACTIVATION,
                new MinMaxEstimator(ACT.withPowerOfTwoScale(true)), 1, false, false);
        q.forward(Tensor.constant(Nd4j.createFromArray(0f, 3f)));
        // 3 / 255 = 0.01176 rounds up to 2^-6.
        assertEquals(1.0 / 64, q.params().scale(0), 0.0);
    }
}
