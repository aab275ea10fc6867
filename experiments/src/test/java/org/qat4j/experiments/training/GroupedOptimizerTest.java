package org.qat4j.experiments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.optim.Optimizer;
import org.qat4j.autograd.optim.Sgd;

class GroupedOptimizerTest {

    private static Tensor parameterWithGradient(double value, double gradient) {
        Tensor parameter = Tensor.parameter(Nd4j.valueArrayOf(new long[] {2}, value, DataType.FLOAT));
        parameter.accumulateGrad(Nd4j.valueArrayOf(new long[] {2}, gradient, DataType.FLOAT));
        return parameter;
    }

    @Test
    void setsRateTimesRatioOnEachGroup() {
        Sgd weights = new Sgd(List.of(parameterWithGradient(1, 2)), 1.0, 0.0, 0.0);
        Sgd scales = new Sgd(List.of(parameterWithGradient(1, 2)), 1.0, 0.0, 0.0);
        GroupedOptimizer optimizer = new GroupedOptimizer(List.of(weights, scales), new double[] {1.0, 0.25}, 0.5);

        assertEquals(0.5, optimizer.learningRate());
        assertEquals(0.5, weights.learningRate());
        assertEquals(0.125, scales.learningRate());

        optimizer.setLearningRate(0.01);
        assertEquals(0.01, optimizer.learningRate());
        assertEquals(0.01, weights.learningRate());
        assertEquals(0.0025, scales.learningRate());
    }

    @Test
    void stepsEveryGroupAtItsRate() {
        Tensor weight = parameterWithGradient(1, 2);
        Tensor scale = parameterWithGradient(1, 2);
        Optimizer optimizer = new GroupedOptimizer(List.of(new Sgd(List.of(weight), 1.0, 0.0, 0.0),
                new Sgd(List.of(scale), 1.0, 0.0, 0.0)), new double[] {1.0, 0.25}, 0.5);

        optimizer.step();

        // w = 1 - 0.5 * 2 and s = 1 - 0.125 * 2, exact in float.
        assertEquals(0.0f, weight.value().getFloat(0));
        assertEquals(0.75f, scale.value().getFloat(0));
        assertEquals(0.75f, scale.value().getFloat(1));

        optimizer.zeroGrad();
        assertEquals(0.0, weight.grad() == null ? 0.0 : weight.grad().sumNumber().doubleValue());
        assertEquals(0.0, scale.grad() == null ? 0.0 : scale.grad().sumNumber().doubleValue());
    }

    @Test
    void rejectsRatioCountMismatch() {
        Sgd group = new Sgd(List.of(parameterWithGradient(1, 0)), 1.0, 0.0, 0.0);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new GroupedOptimizer(List.of(group), new double[] {1.0, 0.5}, 0.1));
        assertEquals("Need one learning-rate ratio per group, got 1 groups and 2 ratios", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupedOptimizer(List.of(), new double[0], 0.1));
    }
}
