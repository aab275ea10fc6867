package org.qat4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class BatchNorm2dOpTest {

    private static final double EPS = 1e-5;

    @Test
    void trainingForwardMatchesReference() {
        INDArray x = GradCheck.random(1, 3, 2, 2, 3);
        INDArray gamma = GradCheck.random(2, 2);
        INDArray beta = GradCheck.random(3, 2);
        INDArray y = F.batchNorm2d(Tensor.constant(x), Tensor.constant(gamma), Tensor.constant(beta),
                Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.ones(DataType.DOUBLE, 2), true, 0.1, EPS).value();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 6; i++) {
                    sum += x.getDouble(n, c, i / 3, i % 3);
                }
            }
            double mean = sum / 18;
            double squares = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 6; i++) {
                    double d = x.getDouble(n, c, i / 3, i % 3) - mean;
                    squares += d * d;
                }
            }
            double variance = squares / 18;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 6; i++) {
                    double expected = gamma.getDouble(c) * (x.getDouble(n, c, i / 3, i % 3) - mean)
                            / Math.sqrt(variance + EPS) + beta.getDouble(c);
                    assertEquals(expected, y.getDouble(n, c, i / 3, i % 3), 1e-12);
                }
            }
        }
    }

    @Test
    void runningStatisticsUpdatedByHand() {
        // Channel 0 contains 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3.
        // Channel 1 contains 0, 0, 4, 4: mean 2, unbiased variance 16/3.
        INDArray x = Nd4j.createFromArray(new double[] {1, 2, 0, 0, 3, 6, 4, 4}).reshape(2, 2, 1, 2);
        INDArray runningMean = Nd4j.createFromArray(0.5, -1.0);
        INDArray runningVar = Nd4j.createFromArray(1.0, 2.0);
        Tensor gamma = Tensor.constant(Nd4j.ones(DataType.DOUBLE, 2));
        Tensor beta = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2));
        INDArray y = F.batchNorm2d(Tensor.constant(x), gamma, beta, runningMean, runningVar, true, 0.1, EPS).value();
        assertEquals(0.9 * 0.5 + 0.1 * 3, runningMean.getDouble(0), 1e-15);
        assertEquals(0.9 * -1.0 + 0.1 * 2, runningMean.getDouble(1), 1e-15);
        assertEquals(0.9 * 1.0 + 0.1 * 14.0 / 3, runningVar.getDouble(0), 1e-15);
        assertEquals(0.9 * 2.0 + 0.1 * 16.0 / 3, runningVar.getDouble(1), 1e-15);
        // Normalizing uses the biased variance: (1 - 3) / sqrt(3.5 + eps).
        assertEquals(-2 / Math.sqrt(3.5 + EPS), y.getDouble(0, 0, 0, 0), 1e-12);
    }

    @Test
    void evalUsesRunningStatistics() {
        INDArray x = Nd4j.createFromArray(new double[] {1, 2, 3, 4}).reshape(1, 2, 1, 2);
        INDArray runningMean = Nd4j.createFromArray(1.0, -2.0);
        INDArray runningVar = Nd4j.createFromArray(4.0, 0.25);
        Tensor gamma = Tensor.constant(Nd4j.createFromArray(2.0, 1.0));
        Tensor beta = Tensor.constant(Nd4j.createFromArray(0.5, 0.0));
        INDArray y = F.batchNorm2d(Tensor.constant(x), gamma, beta, runningMean, runningVar, false, 0.1, EPS).value();
        assertEquals(2 * (1 - 1) / Math.sqrt(4 + EPS) + 0.5, y.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(2 * (2 - 1) / Math.sqrt(4 + EPS) + 0.5, y.getDouble(0, 0, 0, 1), 1e-12);
        assertEquals((4 + 2) / Math.sqrt(0.25 + EPS), y.getDouble(0, 1, 0, 1), 1e-12);
        assertArrayEquals(new double[] {1, -2}, runningMean.toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {4, 0.25}, runningVar.toDoubleVector(), 0.0);
    }

    @Test
    void trainingGradientThroughBatchStatistics() {
        Tensor x = Tensor.parameter(GradCheck.random(4, 3, 2, 3, 2));
        Tensor gamma = Tensor.parameter(GradCheck.random(5, 2));
        Tensor beta = Tensor.parameter(GradCheck.random(6, 2));
        INDArray runningMean = Nd4j.zeros(DataType.DOUBLE, 2);
        INDArray runningVar = Nd4j.ones(DataType.DOUBLE, 2);
        GradCheck.check(() -> F.batchNorm2d(x, gamma, beta, runningMean, runningVar, true, 0.1, EPS),
                List.of(x, gamma, beta));
    }

    @Test
    void evalGradient() {
        Tensor x = Tensor.parameter(GradCheck.random(7, 2, 3, 2, 2));
        Tensor gamma = Tensor.parameter(GradCheck.random(8, 3));
        Tensor beta = Tensor.parameter(GradCheck.random(9, 3));
        INDArray runningMean = GradCheck.random(10, 3);
        INDArray runningVar = GradCheck.random(11, 3).addi(1.5);
        GradCheck.check(() -> F.batchNorm2d(x, gamma, beta, runningMean, runningVar, false, 0.1, EPS),
                List.of(x, gamma, beta));
    }

    @Test
    void floatAgreesWithDouble() {
        INDArray x = GradCheck.random(12, 4, 3, 5, 5).muli(3).addi(1);
        INDArray gamma = GradCheck.random(13, 3);
        INDArray beta = GradCheck.random(14, 3);
        INDArray expected = F.batchNorm2d(Tensor.constant(x), Tensor.constant(gamma), Tensor.constant(beta),
                Nd4j.zeros(DataType.DOUBLE, 3), Nd4j.ones(DataType.DOUBLE, 3), true, 0.1, EPS).value();
        INDArray single = F.batchNorm2d(Tensor.constant(x.castTo(DataType.FLOAT)),
                Tensor.constant(gamma.castTo(DataType.FLOAT)), Tensor.constant(beta.castTo(DataType.FLOAT)),
                Nd4j.zeros(DataType.FLOAT, 3), Nd4j.ones(DataType.FLOAT, 3), true, 0.1, EPS).value();
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), single.getDouble(i), 1e-5);
        }
    }
}
