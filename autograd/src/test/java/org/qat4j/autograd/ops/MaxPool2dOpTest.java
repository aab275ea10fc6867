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
    void oddSizeLeavesLastRowWithoutGradient() {
        Tensor x = Tensor.parameter(GradCheck.random(6, 2, 3, 5, 5));
        GradCheck.check(() -> F.maxPool2d(x, 2, 2), List.of(x));
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, x.grad().getDouble(1, 2, 4, i), 0.0);
            assertEquals(0.0, x.grad().getDouble(1, 2, i, 4), 0.0);
        }
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

    @Test
    void manyPlanesMatchReferenceInFloat() {
        // Enough planes that the kernel splits them over threads.
        INDArray x = GradCheck.random(4, 8, 8, 6, 6).castTo(DataType.FLOAT);
        Tensor input = Tensor.parameter(x);
        Tensor y = F.maxPool2d(input, 2, 2);
        INDArray seed = GradCheck.random(5, 8, 8, 3, 3).castTo(DataType.FLOAT);
        y.backward(seed);
        for (int n = 0; n < 8; n++) {
            for (int c = 0; c < 8; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        int bestP = 0;
                        int bestQ = 0;
                        for (int p = 0; p < 2; p++) {
                            for (int q = 0; q < 2; q++) {
                                if (x.getFloat(n, c, 2 * i + p, 2 * j + q) > x.getFloat(n, c, 2 * i + bestP, 2 * j + bestQ)) {
                                    bestP = p;
                                    bestQ = q;
                                }
                            }
                        }
                        assertEquals(x.getFloat(n, c, 2 * i + bestP, 2 * j + bestQ), y.value().getFloat(n, c, i, j), 0f);
                        for (int p = 0; p < 2; p++) {
                            for (int q = 0; q < 2; q++) {
                                float expected = p == bestP && q == bestQ ? seed.getFloat(n, c, i, j) : 0f;
                                assertEquals(expected, input.grad().getFloat(n, c, 2 * i + p, 2 * j + q), 0f);
                            }
                        }
                    }
                }
            }
        }
    }
}
