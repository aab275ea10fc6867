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

class MaxPool2dOpTest {

    @Test
    void forwardMatchesReference() {
        INDArray x = GradCheck.random(1, 2, 3, 5, 4);
        INDArray y = F.maxPool2d(Tensor.constant(x), 2, 2).value();
        assertArrayEquals(new long[] {2, 3, 2, 2}, y.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int p = 0; p < 2; p++) {
                            for (int q = 0; q < 2; q++) {
                                max = Math.max(max, x.getDouble(n, c, 2 * i + p, 2 * j + q));
                            }
                        }
                        assertEquals(max, y.getDouble(n, c, i, j), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // Random values are distinct, so no window has a tie that a finite step could flip.
        Tensor x = Tensor.parameter(GradCheck.random(2, 2, 2, 4, 6));
        GradCheck.check(() -> F.maxPool2d(x, 2, 2), List.of(x));
    }

    @Test
    void overlappingWindowsGradient() {
        Tensor x = Tensor.parameter(GradCheck.random(3, 1, 2, 5, 5));
        GradCheck.check(() -> F.maxPool2d(x, 3, 1), List.of(x));
    }

    @Test
    void tieSendsGradientToFirstMaximum() {
        // One 2x2 window whose maximum 7 appears at (0,1) and (1,0): scan order reaches (0,1) first.
        Tensor x = Tensor.parameter(Nd4j.createFromArray(new double[] {1, 7, 7, 3}).reshape(1, 1, 2, 2));
        Tensor y = F.maxPool2d(x, 2, 2);
        assertEquals(7.0, y.value().getDouble(0), 0.0);
        y.backward(Nd4j.createFromArray(new double[] {2.5}).reshape(1, 1, 1, 1));
        assertArrayEquals(new double[] {0, 2.5, 0, 0}, x.grad().reshape(4).toDoubleVector(), 0.0);
    }

    @Test
    void allEqualWindowPicksTopLeft() {
        Tensor x = Tensor.parameter(Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 4));
        F.maxPool2d(x, 2, 2).backward(Nd4j.createFromArray(new float[] {1f, 2f}).reshape(1, 1, 1, 2));
        assertArrayEquals(new float[] {1f, 0f, 2f, 0f, 0f, 0f, 0f, 0f}, x.grad().reshape(8).toFloatVector(), 0f);
    }
}
