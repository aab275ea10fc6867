package org.qat4j.experiments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Models;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.autograd.optim.Adam;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Layout;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.RealMnist;

/**
 * The whole training path (data, model, loss, gradients, optimizer) fits one fixed batch of real
 * MNIST images exactly. A wrong gradient or a broken update step would leave errors in the batch.
 */
class OverfitTest {

    private static final int IMAGES = 64;
    private static final int MAX_STEPS = 200;
    private static final double LOSS_BOUND = 0.01;

    @Test
    void mlpFitsOneBatchExactly() {
        DataSplit batch = RealMnist.get().train().subset(IMAGES);
        INDArray features = batch.features(Normalization.MNIST, Layout.FLAT);
        int[] labels = batch.labels();
        Sequential model = Models.mlp(3);
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        model.train();

        double firstLoss = Double.NaN;
        double loss = Double.NaN;
        int steps = 0;
        while (steps < MAX_STEPS && !(loss < LOSS_BOUND)) {
            optimizer.zeroGrad();
            Tensor value = F.crossEntropy(model.forward(Tensor.constant(features)), labels);
            value.backward();
            optimizer.step();
            loss = value.value().getDouble(0);
            if (steps == 0) {
                firstLoss = loss;
            }
            steps++;
        }

        assertTrue(firstLoss > 1.5, "the untrained loss should be near ln 10 = 2.30, was " + firstLoss);
        assertTrue(loss < LOSS_BOUND, "loss after " + steps + " steps: " + loss);
        double accuracy = Evaluation.accuracy(model, batch, Normalization.MNIST, Layout.FLAT);
        assertEquals(100.0, accuracy, "training accuracy after " + steps + " steps");
    }
}
