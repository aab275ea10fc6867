package org.qat4j.experiments.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.RealMnist;

/** The same seed on the same machine gives the same weights and the same training curve. */
class TrainerDeterminismTest {

    private static final int IMAGES = 1024;
    private static final long SEED = 11;

    @Test
    void mlpRunsRepeatBitForBit() {
        assertRunsRepeat(ModelKind.MLP);
    }

    @Test
    void cnnRunsRepeatBitForBit() {
        assertRunsRepeat(ModelKind.CNN);
    }

    private static void assertRunsRepeat(ModelKind kind) {
        Run first = train(kind);
        Run second = train(kind);

        assertEquals(first.history(), second.history(), "epoch statistics except time");
        for (Map.Entry<String, INDArray> entry : first.state().entrySet()) {
            float[] expected = entry.getValue().dup().data().asFloat();
            float[] actual = second.state().get(entry.getKey()).dup().data().asFloat();
            assertArrayEquals(expected, actual, 0f, entry.getKey());
        }
    }

    private record Run(List<List<Double>> history, Map<String, INDArray> state) {
    }

    private static Run train(ModelKind kind) {
        DataSplit train = RealMnist.get().train().subset(IMAGES);
        DataSplit test = RealMnist.get().test().subset(IMAGES);
        Recipe recipe = Recipe.fp32Default(kind);
        Sequential model = kind.build(SEED);
        int steps = 2 * Trainer.stepsPerEpoch(train, recipe.batchSize());
        Trainer trainer = new Trainer(model, recipe.createOptimizer(model.parameters()), recipe.schedule(steps), () -> { },
                kind.id() + " determinism");
        List<Trainer.EpochStats> stats = trainer.fit(train, test, Normalization.MNIST, kind.layout(), recipe.batchSize(),
                1, 2, SEED, null);
        List<List<Double>> history = stats.stream()
                .map(s -> List.of(s.trainLoss(), s.trainAccuracy(), s.testAccuracy(), s.learningRate()))
                .toList();
        return new Run(history, model.stateDict());
    }
}
