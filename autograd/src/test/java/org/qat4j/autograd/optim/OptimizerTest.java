package org.qat4j.autograd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Tensor;

class OptimizerTest {

    /** Sets the gradient of {@code w} to {@code g} as a backward pass would. */
    private static void setGrad(Tensor w, double... g) {
        w.zeroGrad();
        w.accumulateGrad(Nd4j.createFromArray(g));
    }

    @Test
    void sgdMomentumTwoSteps() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0, -2.0));
        Sgd sgd = new Sgd(List.of(w), 0.1, 0.9, 0.0);
        setGrad(w, 0.5, 1.0);
        sgd.step();
        // buf = g = (0.5, 1); w = (1 - 0.05, -2 - 0.1)
        assertEquals(0.95, w.value().getDouble(0), 1e-15);
        assertEquals(-2.1, w.value().getDouble(1), 1e-15);
        setGrad(w, 1.0, -1.0);
        sgd.step();
        // buf = 0.9 * (0.5, 1) + (1, -1) = (1.45, -0.1); w = (0.95 - 0.145, -2.1 + 0.01)
        assertEquals(0.805, w.value().getDouble(0), 1e-15);
        assertEquals(-2.09, w.value().getDouble(1), 1e-15);
    }

    @Test
    void sgdWeightDecayAddsToGradient() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(2.0));
        Sgd sgd = new Sgd(List.of(w), 0.5, 0.0, 0.1);
        setGrad(w, 1.0);
        sgd.step();
        // g = 1 + 0.1 * 2 = 1.2; w = 2 - 0.6
        assertEquals(1.4, w.value().getDouble(0), 1e-15);
    }

    @Test
    void adamBiasCorrectionTwoSteps() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0));
        Adam adam = new Adam(List.of(w), 0.1, 0.9, 0.999, 1e-8, 0.0, false);
        setGrad(w, 2.0);
        adam.step();
        // m = 0.2, v = 0.004; m^ = 2, v^ = 4; w = 1 - 0.1 * 2 / (2 + 1e-8)
        double w1 = 1 - 0.1 * 2 / (2 + 1e-8);
        assertEquals(w1, w.value().getDouble(0), 1e-15);
        setGrad(w, -1.0);
        adam.step();
        double m = 0.9 * 0.2 + 0.1 * -1.0;
        double v = 0.999 * 0.004 + 0.001 * 1.0;
        double mHat = m / (1 - 0.81);
        double vHat = v / (1 - 0.999 * 0.999);
        assertEquals(w1 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), w.value().getDouble(0), 1e-14);
    }

    @Test
    void adamCoupledWeightDecay() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(3.0));
        Adam adam = new Adam(List.of(w), 0.01, 0.9, 0.999, 1e-8, 0.5, false);
        setGrad(w, 0.5);
        adam.step();
        // g = 0.5 + 0.5 * 3 = 2; the first bias-corrected step is lr * sign(g)
        assertEquals(3 - 0.01 * 2 / (2 + 1e-8), w.value().getDouble(0), 1e-15);
    }

    @Test
    void adamWDecoupledDecayTwoSteps() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(3.0));
        Adam adamW = new Adam(List.of(w), 0.01, 0.9, 0.999, 1e-8, 0.5, true);
        setGrad(w, 0.5);
        adamW.step();
        // w = 3 * (1 - 0.005) - 0.01 * 0.5 / (0.5 + 1e-8)
        double w1 = 3 * 0.995 - 0.01 * 0.5 / (0.5 + 1e-8);
        assertEquals(w1, w.value().getDouble(0), 1e-15);
        setGrad(w, 0.5);
        adamW.step();
        double m = 0.9 * 0.05 + 0.1 * 0.5;
        double v = 0.999 * 0.00025 + 0.001 * 0.25;
        double update = (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        assertEquals(w1 * 0.995 - 0.01 * update, w.value().getDouble(0), 1e-14);
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0));
        Tensor unused = Tensor.parameter(Nd4j.createFromArray(5.0));
        Adam adam = new Adam(List.of(w, unused), 0.1);
        setGrad(w, 1.0);
        adam.step();
        assertEquals(5.0, unused.value().getDouble(0), 0.0);
        adam.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void floatParametersUpdated() {
        INDArray value = Nd4j.createFromArray(1f, 2f);
        Tensor w = Tensor.parameter(value);
        Sgd sgd = new Sgd(List.of(w), 0.5, 0.0, 0.0);
        w.accumulateGrad(Nd4j.createFromArray(1f, -1f));
        sgd.step();
        assertEquals(0.5f, value.getFloat(0), 0f);
        assertEquals(2.5f, value.getFloat(1), 0f);
    }

    @Test
    void invalidSettingsRejected() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(w), -0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(w), 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(w, w), 0.1, 0, 0));
    }

    @Test
    void stepScheduleValues() {
        StepSchedule schedule = new StepSchedule(0.1, 3, 0.5);
        assertEquals(0.1, schedule.rateAt(0), 0.0);
        assertEquals(0.1, schedule.rateAt(2), 0.0);
        assertEquals(0.05, schedule.rateAt(3), 0.0);
        assertEquals(0.025, schedule.rateAt(7), 1e-18);
    }

    @Test
    void cosineScheduleValues() {
        CosineSchedule schedule = new CosineSchedule(0.1, 10, 0.001);
        assertEquals(0.1, schedule.rateAt(0), 1e-15);
        assertEquals(0.001 + 0.099 * 0.5, schedule.rateAt(5), 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.3)) / 2, schedule.rateAt(3), 1e-15);
        assertEquals(0.001, schedule.rateAt(10), 0.0);
        assertEquals(0.001, schedule.rateAt(50), 0.0);
    }

    @Test
    void scheduleSetsOptimizerRate() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0));
        Sgd sgd = new Sgd(List.of(w), 1.0, 0, 0);
        new StepSchedule(0.2, 1, 0.1).apply(sgd, 2);
        assertEquals(0.002, sgd.learningRate(), 1e-15);
    }
}
