package org.qat4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.nn.Linear;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;

class TensorTest {

    @Test
    void secondBackwardRejected() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(1.0, 2.0));
        Tensor loss = F.sum(F.relu(x));
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already"), e.getMessage());
    }

    @Test
    void noGradRecordsNoGraph() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(1.0, 2.0));
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor y = F.relu(x);
            assertFalse(y.requiresGrad());
            assertTrue(y.parents().isEmpty());
        }
        assertTrue(F.relu(x).requiresGrad());
    }

    @Test
    void leafReusesGradientArray() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(1.0, 2.0));
        F.sum(F.mul(w, w)).backward();
        INDArray first = w.grad();
        w.zeroGrad();
        assertNull(w.grad());
        F.sum(w).backward();
        assertSame(first, w.grad());
        assertArrayEquals(new double[] {1, 1}, w.grad().toDoubleVector(), 0.0);
    }

    @Test
    void sequentialRecyclesIntermediatesAfterBackward() {
        ArrayPool.clear();
        Sequential net = new Sequential(new Linear(3, 4, 1), new ReLU(), new Linear(4, 2, 2));
        Tensor x = Tensor.constant(Nd4j.rand(DataType.FLOAT, 5, 3));
        Tensor out = net.forward(x);
        Tensor hidden = out.parents().get(0);
        INDArray hiddenValue = hidden.value();
        F.sum(out).backward();
        boolean recycled = false;
        for (int i = 0; i < ArrayPool.MAX_PER_SHAPE && !recycled; i++) {
            recycled = ArrayPool.take(DataType.FLOAT, 5, 4) == hiddenValue;
        }
        assertTrue(recycled, "the ReLU output goes back to the pool after backward");
        assertFalse(out.value().wasClosed(), "the returned output stays valid");
        assertFalse(x.value().wasClosed(), "the input stays valid");
    }

    @Test
    void noGradForwardReusesIntermediates() {
        Sequential net = new Sequential(new Linear(3, 4, 1), new ReLU(), new Linear(4, 4, 2), new ReLU());
        Tensor x = Tensor.constant(Nd4j.rand(DataType.FLOAT, 5, 3));
        INDArray expected;
        try (NoGrad ignored = NoGrad.enter()) {
            expected = net.forward(x).value().dup();
            INDArray again = net.forward(x).value();
            assertArrayEquals(expected.ravel().toFloatVector(), again.ravel().toFloatVector(), 0f);
        }
    }

    @Test
    void sequentialKeepsOutputThatIsAView() {
        Sequential net = new Sequential(new ReLU(), new org.qat4j.autograd.nn.Flatten());
        Tensor x = Tensor.parameter(Nd4j.rand(DataType.FLOAT, 2, 3, 2));
        Tensor out = net.forward(x);
        F.sum(out).backward();
        assertFalse(out.value().wasClosed());
        try (NoGrad ignored = NoGrad.enter()) {
            INDArray evaluated = net.forward(x).value();
            assertFalse(evaluated.wasClosed());
            assertArrayEquals(new long[] {2, 6}, evaluated.shape());
        }
    }
}
