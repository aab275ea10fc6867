package org.qat4j.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.optim.Adam;

class OverfitTest {

    private static INDArray randomImages(long seed, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray images = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < images.length(); i++) {
            images.putScalar(i, random.nextDouble());
        }
        return images;
    }

    private static int[] randomLabels(long seed, int n, int classes) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    private static double train(Sequential net, INDArray images, int[] labels, int steps, double lr) {
        Adam adam = new Adam(net.parameters(), lr);
        Tensor input = Tensor.constant(images);
        double firstLoss = 0;
        double loss = 0;
        for (int step = 0; step < steps; step++) {
            adam.zeroGrad();
            Tensor value = F.crossEntropy(net.forward(input), labels);
            loss = value.value().getDouble(0);
            if (step == 0) {
                firstLoss = loss;
            }
            value.backward();
            adam.step();
        }
        assertTrue(loss < firstLoss / 10, "loss fell from " + firstLoss + " to " + loss);
        net.eval();
        int correct = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            INDArray logits = net.forward(input).value();
            for (int i = 0; i < labels.length; i++) {
                if (logits.getRow(i).argMax().getInt(0) == labels[i]) {
                    correct++;
                }
            }
        }
        return correct / (double) labels.length;
    }

    @Test
    void mlpOverfitsFixedBatch() {
        Sequential net = new Sequential(new Linear(20, 32, 1), new ReLU(), new Linear(32, 5, 2));
        double accuracy = train(net, randomImages(3, 40, 20), randomLabels(4, 40, 5), 300, 0.01);
        assertEquals(1.0, accuracy, 0.0);
    }

    @Test
    void cnnOverfitsFixedBatch() {
        Sequential net = new Sequential(
                new Conv2d(1, 4, 3, 1, 1, false, 5),
                new BatchNorm2d(4),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(4 * 4 * 4, 3, 6));
        double accuracy = train(net, randomImages(7, 24, 1, 8, 8), randomLabels(8, 24, 3), 200, 0.02);
        assertEquals(1.0, accuracy, 0.0);
    }
}
