package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.experiments.training.Recipe;
import org.qat4j.experiments.training.Trainer;
import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.RangeEstimatorType;
import org.qat4j.qat.integer.Exporter;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;

/**
 * On all 10,000 MNIST test images, for both models at W8A8, W4A8, W4A4 and W2A2: the integer
 * engine equals the exact simulation on every layer output, its predictions agree with the
 * fake-quant model on at least 99.9% of the images, and the two accuracies differ by at most 0.05
 * points. The FP32 models are trained briefly on a subset so the test stays fast.
 */
class IntegerExactnessTest {

    private static final int TRAIN_IMAGES = 6000;
    private static final long SEED = 5;
    private static final Map<ModelKind, Sequential> TRAINED = new EnumMap<>(ModelKind.class);

    static Stream<Arguments> models() {
        return Stream.of(ModelKind.values()).flatMap(kind -> Stream.of(
                Arguments.of(kind, 8, 8), Arguments.of(kind, 4, 8), Arguments.of(kind, 4, 4), Arguments.of(kind, 2, 2)));
    }

    @ParameterizedTest(name = "{0} W{1}A{2}")
    @MethodSource("models")
    void engineMatchesSimulationAndFakeQuant(ModelKind kind, int weightBits, int activationBits) {
        Mnist mnist = RealMnist.get();
        DataSplit test = mnist.test();
        Sequential quantized = Quantization.prepare(trained(kind, mnist.train()), QuantConfig.defaults()
                .withBits(weightBits, activationBits).withRangeEstimator(RangeEstimatorType.MSE));
        Quantization.calibrate(quantized, mnist.train(), kind, Quantization.DEFAULT_CALIBRATION_IMAGES, SEED);
        IntegerModel model = Exporter.export(quantized, ExportCommand.MNIST_INPUT_SHAPE);

        assertEquals(0, ExportVerification.layerMismatches(model, test), "layer output values that differ");

        int[] fakeQuant = Evaluation.predict(quantized, test, Quantization.INPUT, kind.layout());
        int[] integer;
        try (IntegerEngine engine = new IntegerEngine(model)) {
            integer = engine.classify(test.pixels());
        }
        double agreement = Evaluation.agreement(integer, fakeQuant);
        assertTrue(agreement >= 99.9, "agreement with fake quantization: " + agreement + "%");
        double gap = Math.abs(Evaluation.accuracy(integer, test.labels()) - Evaluation.accuracy(fakeQuant, test.labels()));
        assertTrue(gap <= 0.05, "accuracy gap between integer and fake quantization: " + gap + " points");
    }

    private static synchronized Sequential trained(ModelKind kind, DataSplit train) {
        return TRAINED.computeIfAbsent(kind, k -> {
            DataSplit subset = train.subset(TRAIN_IMAGES);
            Recipe recipe = Recipe.fp32Default(k);
            Sequential model = k.build(SEED);
            Trainer trainer = new Trainer(model, recipe.createOptimizer(model.parameters()),
                    recipe.schedule(Trainer.stepsPerEpoch(subset, recipe.batchSize())), () -> { }, k.id() + " fp32");
            trainer.fit(subset, RealMnist.get().test().subset(500), Normalization.MNIST, k.layout(), recipe.batchSize(),
                    1, 1, SEED, null);
            return model;
        });
    }
}
