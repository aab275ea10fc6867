package org.qat4j.experiments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.optim.Adam;
import org.qat4j.autograd.optim.LearningRateSchedule;
import org.qat4j.autograd.optim.Sgd;

class RecipeTest {

    private static final double TOLERANCE = 1e-15;

    private static Recipe recipe(String schedule) {
        return new Recipe("adam", 0.001, 0.0, schedule, 128);
    }

    @Test
    void cosineDecaysFromPeakToZero() {
        LearningRateSchedule schedule = recipe("cosine").schedule(4);

        assertEquals(0.001, schedule.rateAt(0), TOLERANCE);
        // 0.001 * (1 + cos(pi / 4)) / 2 = 0.001 * (1 + 0.70710678...) / 2
        assertEquals(0.000853553390593274, schedule.rateAt(1), TOLERANCE);
        assertEquals(0.0005, schedule.rateAt(2), TOLERANCE);
        assertEquals(0.000146446609406726, schedule.rateAt(3), TOLERANCE);
        assertEquals(0.0, schedule.rateAt(4), TOLERANCE);
    }

    @Test
    void stepDividesByTenEachThird() {
        // 10 steps: thirds of ceil(10 / 3) = 4 steps.
        LearningRateSchedule schedule = recipe("step").schedule(10);

        assertEquals(0.001, schedule.rateAt(0), TOLERANCE);
        assertEquals(0.001, schedule.rateAt(3), TOLERANCE);
        assertEquals(0.0001, schedule.rateAt(4), TOLERANCE);
        assertEquals(0.0001, schedule.rateAt(7), TOLERANCE);
        assertEquals(0.00001, schedule.rateAt(8), TOLERANCE);
        assertEquals(0.00001, schedule.rateAt(9), TOLERANCE);
    }

    @Test
    void stepOnExactThirds() {
        LearningRateSchedule schedule = recipe("step").schedule(9);

        assertEquals(0.001, schedule.rateAt(2), TOLERANCE);
        assertEquals(0.0001, schedule.rateAt(3), TOLERANCE);
        assertEquals(0.00001, schedule.rateAt(6), TOLERANCE);
    }

    @Test
    void stepOnOneStepRun() {
        assertEquals(0.001, recipe("step").schedule(1).rateAt(0), TOLERANCE);
    }

    @Test
    void constantKeepsPeak() {
        LearningRateSchedule schedule = recipe("constant").schedule(5);

        assertEquals(0.001, schedule.rateAt(0));
        assertEquals(0.001, schedule.rateAt(4));
        assertEquals(0.001, schedule.rateAt(100));
    }

    @Test
    void defaultsPerModel() {
        assertEquals(new Recipe("adam", 2e-3, 0.0, "cosine", 128), Recipe.fp32Default(ModelKind.MLP));
        assertEquals(new Recipe("adam", 5e-3, 0.0, "cosine", 128), Recipe.fp32Default(ModelKind.CNN));
        assertEquals(1e-4, Recipe.fineTuneDefault(ModelKind.MLP).learningRate());
        assertEquals(2e-4, Recipe.fineTuneDefault(ModelKind.CNN).learningRate());
    }

    @Test
    void createsNamedOptimizer() {
        List<Tensor> parameters = List.of(Tensor.parameter(Nd4j.ones(2)));

        assertInstanceOf(Sgd.class, new Recipe("sgd", 0.1, 0.0, "constant", 8).createOptimizer(parameters));
        assertInstanceOf(Adam.class, new Recipe("adamw", 0.1, 0.01, "constant", 8).createOptimizer(parameters));
        assertInstanceOf(Adam.class, recipe("cosine").createOptimizer(parameters));
        assertEquals(0.001, recipe("cosine").createOptimizer(parameters).learningRate());
    }

    @Test
    void rejectsBadValues() {
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class,
                () -> new Recipe("rmsprop", 0.001, 0.0, "cosine", 128));
        assertEquals("Unknown optimizer 'rmsprop': use adam, adamw or sgd", optimizer.getMessage());
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
                () -> new Recipe("adam", 0.001, 0.0, "linear", 128));
        assertEquals("Unknown schedule 'linear': use cosine, step or constant", schedule.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Recipe("adam", 0.0, 0.0, "cosine", 128));
        assertThrows(IllegalArgumentException.class, () -> new Recipe("adam", Double.NaN, 0.0, "cosine", 128));
        assertThrows(IllegalArgumentException.class,
                () -> new Recipe("adam", Double.POSITIVE_INFINITY, 0.0, "cosine", 128));
        assertThrows(IllegalArgumentException.class, () -> new Recipe("adam", 0.001, -1.0, "cosine", 128));
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> new Recipe("adam", 0.001, 0.0, "cosine", 0));
        assertTrue(batch.getMessage().startsWith("Batch size 0 is invalid"), batch.getMessage());
    }
}
