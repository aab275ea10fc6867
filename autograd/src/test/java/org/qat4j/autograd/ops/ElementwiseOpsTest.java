package org.qat4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class ElementwiseOpsTest {

    private static Tensor param(long seed, long... shape) {
        return Tensor.parameter(GradCheck.random(seed, shape));
    }

    /** Positive values away from 0, for divisors. */
    private static Tensor positive(long seed, long... shape) {
        return Tensor.parameter(GradCheck.random(seed, shape).addi(2.0));
    }

    @Test
    void addBroadcastsBiasRow() {
        Tensor a = param(1, 2, 3);
        Tensor b = param(2, 3);
        INDArray y = F.add(a, b).value();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(a.value().getDouble(i, j) + b.value().getDouble(j), y.getDouble(i, j), 1e-15);
            }
        }
        GradCheck.check(() -> F.add(a, b), List.of(a, b));
    }

    @Test
    void addBroadcastsChannelBias() {
        Tensor a = param(3, 2, 3, 2, 2);
        Tensor b = param(4, 1, 3, 1, 1);
        INDArray y = F.add(a, b).value();
        assertEquals(a.value().getDouble(1, 2, 1, 0) + b.value().getDouble(0, 2, 0, 0), y.getDouble(1, 2, 1, 0), 1e-15);
        GradCheck.check(() -> F.add(a, b), List.of(a, b));
    }

    @Test
    void subBroadcastsBothWays() {
        Tensor a = param(5, 2, 1, 4);
        Tensor b = param(6, 3, 1);
        Tensor y = F.sub(a, b);
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        assertEquals(a.value().getDouble(1, 0, 3) - b.value().getDouble(2, 0), y.value().getDouble(1, 2, 3), 1e-15);
        GradCheck.check(() -> F.sub(a, b), List.of(a, b));
    }

    @Test
    void mulSameShapeAndBroadcast() {
        Tensor a = param(7, 3, 4);
        Tensor b = param(8, 3, 4);
        Tensor c = param(9, 1, 4);
        assertEquals(a.value().getDouble(2, 3) * b.value().getDouble(2, 3), F.mul(a, b).value().getDouble(2, 3), 1e-15);
        GradCheck.check(() -> F.mul(a, b), List.of(a, b));
        GradCheck.check(() -> F.mul(a, c), List.of(a, c));
    }

    @Test
    void divBroadcastsDivisor() {
        Tensor a = param(10, 2, 3, 2);
        Tensor b = positive(11, 3, 1);
        assertEquals(a.value().getDouble(1, 2, 1) / b.value().getDouble(2, 0), F.div(a, b).value().getDouble(1, 2, 1), 1e-15);
        GradCheck.check(() -> F.div(a, b), List.of(a, b));
    }

    @Test
    void divNumeratorBroadcast() {
        Tensor a = param(12, 4);
        Tensor b = positive(13, 2, 4);
        GradCheck.check(() -> F.div(a, b), List.of(a, b));
    }

    @Test
    void incompatibleShapesRejected() {
        Tensor a = param(14, 2, 3);
        Tensor b = param(15, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.add(a, b));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void mixedDtypesRejected() {
        Tensor a = param(16, 2, 3);
        Tensor b = Tensor.parameter(Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3));
        assertThrows(IllegalArgumentException.class, () -> F.mul(a, b));
    }
}
