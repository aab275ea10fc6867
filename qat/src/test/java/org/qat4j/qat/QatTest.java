package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Linear;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.autograd.optim.Adam;
import org.qat4j.autograd.optim.Optimizer;

class QatTest {

    /** Two classes in [0, 1]^8: class 1 has a brighter first half. */
    private static INDArray inputs(int n, long seed, int[] labels) {
        Random random = new Random(seed);
        float[][] x = new float[n][8];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 8; j++) {
                double base = j < 4 && labels[i] == 1 ? 0.7 : 0.3;
                x[i][j] = (float) Math.min(1, Math.max(0, base + 0.15 * random.nextGaussian()));
            }
        }
        return Nd4j.createFromArray(x);
    }

    private static double loss(Sequential model, INDArray x, int[] labels) {
        try (NoGrad ignored = NoGrad.enter()) {
            return F.crossEntropy(model.forward(Tensor.constant(x)), labels).value().getDouble(0);
        }
    }

    @Test
    void learnedScalesTrainAndStayPositive() {
        Sequential fp32 = new Sequential(new Linear(8, 16, 1), new ReLU(), new Linear(16, 2, 2));
        QuantConfig config = QuantConfig.defaults().withBits(4, 4).withLearning(true, true);
        Sequential model = Prepare.prepare(fp32, config);
        int[] labels = new int[64];
        INDArray x = inputs(64, 3, labels);
        Ptq.calibrate(model, List.of(x));
        Qat.startTraining(model, true);

        List<Tensor> quantizerParameters = Qat.quantizerParameters(model);
        Optimizer weights = new Adam(Qat.weightParameters(model), 0.02);
        Optimizer quantizers = Qat.constrained(new Adam(quantizerParameters, 0.01), model);
        double initialScale = QuantModel.quantizer(model, "0.output").params().scale(0);
        double before = loss(model, x, labels);
        for (int step = 0; step < 60; step++) {
            weights.zeroGrad();
            quantizers.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(Tensor.constant(x)), labels);
            loss.backward();
            for (Tensor p : quantizerParameters) {
                assertNotNull(p.grad(), "quantizer parameter without gradient at step " + step);
            }
            weights.step();
            quantizers.step();
        }
        double after = loss(model, x, labels);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
        assertNotEquals(initialScale, QuantModel.quantizer(model, "0.output").params().scale(0));
        for (FakeQuantize q : QuantModel.quantizers(model)) {
            QuantParams p = q.params();
            for (int c = 0; c < p.channels(); c++) {
                assertTrue(p.scale(c) > 0, q.name() + " channel " + c);
            }
        }
    }

    @Test
    void observedQuantizersFollowTrainedWeights() {
        Sequential fp32 = new Sequential(new Linear(8, 4, 5), new ReLU(), new Linear(4, 2, 6));
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults()
                .withRangeEstimators(RangeEstimatorType.MIN_MAX, RangeEstimatorType.RUNNING_MIN_MAX));
        int[] labels = new int[32];
        INDArray x = inputs(32, 7, labels);
        Ptq.calibrate(model, List.of(x));
        Qat.startTraining(model, true);
        QuantLayer first = QuantModel.layers(model).get(0);
        first.weight().value().muli(2);
        model.forward(Tensor.constant(x));
        INDArray w = first.weight().value();
        QuantParams p = first.weightQuantizer().params();
        for (int c = 0; c < 4; c++) {
            double amax = w.getRow(c).amaxNumber().doubleValue();
            assertEquals((float) (amax / 127), p.scale(c), 0.0, "channel " + c);
        }
        assertTrue(Double.isFinite(loss(model, x, labels)));
    }
}
