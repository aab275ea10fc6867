package org.qat4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class LinearAlgebraOpsTest {

    @Test
    void matmulMatchesLoops() {
        Tensor a = Tensor.parameter(GradCheck.random(1, 3, 4));
        Tensor b = Tensor.parameter(GradCheck.random(2, 4, 5));
        INDArray y = F.matmul(a, b).value();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double expected = 0;
                for (int k = 0; k < 4; k++) {
                    expected += a.value().getDouble(i, k) * b.value().getDouble(k, j);
                }
                assertEquals(expected, y.getDouble(i, j), 1e-12);
            }
        }
        GradCheck.check(() -> F.matmul(a, b), List.of(a, b));
    }

    @Test
    void matmulInnerMismatchRejected() {
        Tensor a = Tensor.parameter(GradCheck.random(1, 3, 4));
        Tensor b = Tensor.parameter(GradCheck.random(2, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> F.matmul(a, b));
    }

    @Test
    void linearMatchesLoops() {
        Tensor x = Tensor.parameter(GradCheck.random(3, 4, 6));
        Tensor w = Tensor.parameter(GradCheck.random(4, 5, 6));
        Tensor b = Tensor.parameter(GradCheck.random(5, 5));
        INDArray y = F.linear(x, w, b).value();
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 5; o++) {
                double expected = b.value().getDouble(o);
                for (int i = 0; i < 6; i++) {
                    expected += x.value().getDouble(n, i) * w.value().getDouble(o, i);
                }
                assertEquals(expected, y.getDouble(n, o), 1e-12);
            }
        }
        GradCheck.check(() -> F.linear(x, w, b), List.of(x, w, b));
    }

    @Test
    void linearWithoutBias() {
        Tensor x = Tensor.parameter(GradCheck.random(6, 3, 2));
        Tensor w = Tensor.parameter(GradCheck.random(7, 4, 2));
        GradCheck.check(() -> F.linear(x, w, null), List.of(x, w));
    }

    @Test
    void linearFloatAgreesWithDouble() {
        INDArray x = GradCheck.random(8, 5, 7);
        INDArray w = GradCheck.random(9, 3, 7);
        INDArray b = GradCheck.random(10, 3);
        INDArray reference = F.linear(Tensor.constant(x), Tensor.constant(w), Tensor.constant(b)).value();
        INDArray single = F.linear(Tensor.constant(x.castTo(DataType.FLOAT)), Tensor.constant(w.castTo(DataType.FLOAT)),
                Tensor.constant(b.castTo(DataType.FLOAT))).value();
        assertEquals(DataType.FLOAT, single.dataType());
        for (long i = 0; i < reference.length(); i++) {
            assertEquals(reference.getDouble(i), single.getDouble(i), 1e-5);
        }
    }

    @Test
    void linearFeatureMismatchNamesShapes() {
        Tensor x = Tensor.parameter(GradCheck.random(11, 3, 5));
        Tensor w = Tensor.parameter(GradCheck.random(12, 4, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.linear(x, w, null));
        assertEquals("linear: input has 5 features but the weight [4, 6] expects 6", e.getMessage());
    }
}
