package org.qat4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class CrossEntropyOpTest {

    /** Plain softmax, then the mean of -log p[label]. */
    private static double reference(INDArray logits, int[] labels) {
        double total = 0;
        for (int n = 0; n < labels.length; n++) {
            double sum = 0;
            for (int k = 0; k < logits.size(1); k++) {
                sum += Math.exp(logits.getDouble(n, k));
            }
            total += -Math.log(Math.exp(logits.getDouble(n, labels[n])) / sum);
        }
        return total / labels.length;
    }

    @Test
    void lossMatchesPlainSoftmax() {
        INDArray logits = GradCheck.random(1, 4, 5).muli(3);
        int[] labels = {0, 4, 2, 2};
        assertEquals(reference(logits, labels), F.crossEntropy(Tensor.constant(logits), labels).value().getDouble(0), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor logits = Tensor.parameter(GradCheck.random(2, 3, 4));
        int[] labels = {1, 3, 0};
        GradCheck.check(() -> F.crossEntropy(logits, labels), List.of(logits));
    }

    @Test
    void largeLogitsStayFinite() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{1000, 0}, {0, -1000}});
        Tensor z = Tensor.parameter(logits);
        Tensor loss = F.crossEntropy(z, new int[] {1, 1});
        // Row 0: log(e^1000 + 1) - 0 = 1000; row 1: log(1 + e^-1000) + 1000 = 1000.
        assertEquals(1000.0, loss.value().getDouble(0), 1e-9);
        loss.backward();
        assertEquals(0.5, z.grad().getDouble(0, 0), 1e-12);
        assertEquals(-0.5, z.grad().getDouble(0, 1), 1e-12);
        assertEquals(0.5, z.grad().getDouble(1, 0), 1e-12);
    }

    @Test
    void labelOutOfRangeRejected() {
        Tensor logits = Tensor.constant(GradCheck.random(3, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(logits, new int[] {0, 3}));
        assertEquals("crossEntropy: label 3 at row 1 is out of range for 3 classes; labels must be 0 to 2", e.getMessage());
    }
}
