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

class ShapeAndReductionOpsTest {

    /** Values at least 0.1 away from 0, so the finite differences never cross the ReLU kink. */
    private static INDArray awayFromZero(long seed, long... shape) {
        INDArray values = GradCheck.random(seed, shape);
        for (long i = 0; i < values.length(); i++) {
            double v = values.getDouble(i);
            values.putScalar(i, v >= 0 ? v + 0.1 : v - 0.1);
        }
        return values;
    }

    @Test
    void reluForwardAndGradient() {
        Tensor x = Tensor.parameter(awayFromZero(1, 3, 4, 5));
        INDArray y = F.relu(x).value();
        for (long i = 0; i < y.length(); i++) {
            assertEquals(Math.max(0, x.value().getDouble(i)), y.getDouble(i), 0.0);
        }
        GradCheck.check(() -> F.relu(x), List.of(x));
    }

    @Test
    void reluGradientZeroAtZero() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(-1.0, 0.0, 2.0));
        F.relu(x).backward(Nd4j.createFromArray(5.0, 5.0, 5.0));
        assertArrayEquals(new double[] {0, 0, 5}, x.grad().toDoubleVector(), 0.0);
    }

    @Test
    void reluFloatForwardAndBackward() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(-1.5f, 0.5f, 3f, -0.25f));
        Tensor y = F.relu(x);
        assertArrayEquals(new float[] {0f, 0.5f, 3f, 0f}, y.value().toFloatVector(), 0f);
        y.backward(Nd4j.createFromArray(1f, 2f, 3f, 4f));
        assertArrayEquals(new float[] {0f, 2f, 3f, 0f}, x.grad().toFloatVector(), 0f);
    }

    @Test
    void reluLargeFloatMatchesReference() {
        // Several 16384-element chunks, so the kernel splits them over threads.
        INDArray x = GradCheck.random(9, 5, 20000).castTo(DataType.FLOAT);
        INDArray seed = GradCheck.random(10, 5, 20000).castTo(DataType.FLOAT);
        Tensor input = Tensor.parameter(x);
        Tensor y = F.relu(input);
        y.backward(seed);
        float[] xs = x.ravel().toFloatVector();
        float[] ys = y.value().ravel().toFloatVector();
        float[] seeds = seed.ravel().toFloatVector();
        float[] grads = input.grad().ravel().toFloatVector();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.max(0f, xs[i]), ys[i], 0f);
            assertEquals(xs[i] > 0 ? seeds[i] : 0f, grads[i], 0f);
        }
    }

    @Test
    void sumAllAndAxes() {
        Tensor x = Tensor.parameter(GradCheck.random(2, 2, 3, 4));
        assertEquals(x.value().sumNumber().doubleValue(), F.sum(x).value().getDouble(0), 1e-12);
        assertEquals(0, F.sum(x).value().rank());
        Tensor partial = F.sum(x, 1);
        assertArrayEquals(new long[] {2, 4}, partial.shape());
        assertEquals(x.value().getDouble(1, 0, 2) + x.value().getDouble(1, 1, 2) + x.value().getDouble(1, 2, 2),
                partial.value().getDouble(1, 2), 1e-12);
        GradCheck.check(() -> F.sum(x), List.of(x));
        GradCheck.check(() -> F.sum(x, 0, 2), List.of(x));
    }

    @Test
    void meanAllAndAxes() {
        Tensor x = Tensor.parameter(GradCheck.random(3, 2, 3, 4));
        assertEquals(x.value().sumNumber().doubleValue() / 24, F.mean(x).value().getDouble(0), 1e-12);
        GradCheck.check(() -> F.mean(x), List.of(x));
        GradCheck.check(() -> F.mean(x, -1), List.of(x));
    }

    @Test
    void reshapeInfersDimension() {
        Tensor x = Tensor.parameter(GradCheck.random(4, 2, 3, 4));
        Tensor y = F.reshape(x, 4, -1);
        assertArrayEquals(new long[] {4, 6}, y.shape());
        assertEquals(x.value().getDouble(1, 2, 3), y.value().getDouble(3, 5), 0.0);
        GradCheck.check(() -> F.reshape(x, 6, 4), List.of(x));
    }

    @Test
    void flattenKeepsBatchAxis() {
        Tensor x = Tensor.parameter(GradCheck.random(5, 3, 2, 2, 2));
        Tensor y = F.flatten(x);
        assertArrayEquals(new long[] {3, 8}, y.shape());
        assertEquals(x.value().getDouble(2, 1, 0, 1), y.value().getDouble(2, 5), 0.0);
        GradCheck.check(() -> F.flatten(x), List.of(x));
    }

    @Test
    void gradientAccumulatesOverTwoUses() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(1.0, 2.0));
        F.sum(F.mul(x, x)).backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleVector(), 1e-15);
        assertEquals(DataType.DOUBLE, x.grad().dataType());
    }
}
