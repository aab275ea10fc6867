package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.qat.FakeQuantize;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantLinear;
import org.qat4j.qat.QuantParams;
import org.qat4j.qat.QuantScheme;
import org.qat4j.qat.QuantSpec;
import org.qat4j.qat.Quantizer;

class ExporterTest {

    private static final int[] IMAGE = {1, 12, 12};

    private static byte[] images(long seed, int count) {
        byte[] images = new byte[count * 144];
        new Random(seed).nextBytes(images);
        return images;
    }

    private static Sequential calibratedMlp(int weightBits, int activationBits) {
        Sequential model = HandQuantizedModels.mlp(3, weightBits, activationBits, 144, 40, 24, 10);
        HandQuantizedModels.calibrateAndFreeze(model, images(1, 64), IMAGE);
        return model;
    }

    private static Sequential calibratedCnn(int weightBits, int activationBits) {
        Sequential model = HandQuantizedModels.cnn(5, weightBits, activationBits);
        HandQuantizedModels.calibrateAndFreeze(model, images(2, 64), IMAGE);
        return model;
    }

    private static void assertSimulationMatchesEngine(Sequential quantized, String label) {
        IntegerModel model = Exporter.export(quantized, IMAGE);
        byte[] inputs = images(9, 300);
        List<long[]> simulated = new ExactSimulation(quantized, IMAGE).layerOutputs(inputs);
        try (IntegerEngine engine = new IntegerEngine(model, 64, 2)) {
            List<int[]> actual = engine.layerOutputs(inputs);
            assertEquals(simulated.size(), actual.size());
            for (int i = 0; i < actual.size(); i++) {
                long[] want = simulated.get(i);
                int[] got = actual.get(i);
                assertEquals(want.length, got.length);
                for (int j = 0; j < want.length; j++) {
                    if (want[j] != got[j]) {
                        throw new AssertionError(label + " layer " + model.layers().get(i).name() + " element " + j
                                + ": simulation " + want[j] + ", engine " + got[j]);
                    }
                }
            }
        }
    }

    @Test
    void exactSimulationMatchesEngineOnMlp() {
        for (int bits : new int[] {8, 4, 2}) {
            assertSimulationMatchesEngine(calibratedMlp(bits, bits), "mlp w" + bits + "a" + bits);
        }
    }

    @Test
    void exactSimulationMatchesEngineOnCnn() {
        assertSimulationMatchesEngine(calibratedCnn(8, 8), "cnn w8a8");
        assertSimulationMatchesEngine(calibratedCnn(4, 6), "cnn w4a6");
    }

    @Test
    void exportTakesIntegersFromQuantizers() {
        Sequential quantized = calibratedMlp(8, 8);
        IntegerModel model = Exporter.export(quantized, IMAGE);
        QuantLinear fc1 = (QuantLinear) quantized.get(2);
        IntegerLinear exported = (IntegerLinear) model.layers().get(1);

        QuantParams weightParams = fc1.weightQuantizer().params();
        int[] expectedWeights = Quantizer.quantize(fc1.weight().value(), weightParams, "fc1.weight").dup('c').data().asInt();
        byte[] weights = exported.weights();
        for (int i = 0; i < weights.length; i++) {
            assertEquals(expectedWeights[i], weights[i], "weight " + i);
        }

        double inputScale = fc1.inputQuantizer().params().scale(0);
        QuantParams outputParams = fc1.outputQuantizer().params();
        INDArray bias = fc1.bias().value();
        for (int c = 0; c < 40; c++) {
            double sw = weightParams.scale(c);
            assertEquals(sw, exported.weightScales()[c]);
            assertEquals((long) Math.rint(bias.getDouble(c) / (sw * inputScale)), exported.bias()[c], "bias " + c);
            FixedPointMultiplier expected = FixedPointMultiplier.of(sw * inputScale / outputParams.scale(0), "fc1");
            assertEquals(expected.multiplier(), exported.requantizer().multiplier(c).multiplier());
            assertEquals(expected.shift(), exported.requantizer().multiplier(c).shift());
        }
        assertEquals(outputParams.zeroPoint(0), exported.requantizer().output().zeroPoint());
        assertTrue(exported.requantizer().relu());
        assertNull(((IntegerLinear) model.layers().get(3)).requantizer());
    }

    @Test
    void engineAgreesWithFakeQuantModel() {
        Sequential quantized = calibratedCnn(8, 8);
        byte[] inputs = images(11, 400);
        int[] fakeQuant = HandQuantizedModels.fakeQuantClasses(quantized, inputs, IMAGE);
        int agree = 0;
        try (IntegerEngine engine = new IntegerEngine(Exporter.export(quantized, IMAGE))) {
            int[] integer = engine.classify(inputs);
            for (int i = 0; i < integer.length; i++) {
                agree += integer[i] == fakeQuant[i] ? 1 : 0;
            }
        }
        // Float rounding in the fake-quant accumulators moves a few requantized values by one step.
        assertTrue(agree >= 390, "agreement " + agree + " of 400");
    }

    @Test
    void modelFileRoundTripOfExportedModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws java.io.IOException {
        IntegerModel model = Exporter.export(calibratedCnn(4, 8), IMAGE);
        java.nio.file.Path file = directory.resolve("cnn.q4j");
        ModelFile.write(model, file);
        byte[] inputs = images(4, 50);
        try (IntegerEngine original = new IntegerEngine(model); IntegerEngine loaded = new IntegerEngine(ModelFile.read(file))) {
            assertArrayEquals(original.accumulators(inputs), loaded.accumulators(inputs));
        }
    }

    @Test
    void rejectsAsymmetricWeightsNamingLayer() {
        Sequential quantized = HandQuantizedModels.mlp(3, 8, 8, 144, 10);
        QuantLinear fc1 = (QuantLinear) quantized.get(2);
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);
        Sequential asymmetric = new Sequential(quantized.get(0), quantized.get(1),
                relinked(new QuantLinear("fc_asym", fc1.weight().value(), fc1.bias().value(),
                        FakeQuantize.fixed("fc_asym.weight", FakeQuantize.Role.WEIGHT, spec,
                                QuantParams.perTensor(QuantGrid.unsigned(8), 0.01, 128))), fc1));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export(asymmetric, IMAGE));
        assertTrue(error.getMessage().contains("fc_asym"), error.getMessage());
        assertTrue(error.getMessage().contains("signed"), error.getMessage());
    }

    @Test
    void rejectsBiasOutsideInt32NamingLayer() {
        Sequential quantized = HandQuantizedModels.mlp(3, 8, 8, 144, 10);
        QuantLinear fc1 = (QuantLinear) quantized.get(2);
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC);
        INDArray bias = fc1.bias().value().dup();
        bias.putScalar(3, 1e4);
        Sequential tiny = new Sequential(quantized.get(0), quantized.get(1),
                relinked(new QuantLinear("fc_tiny", fc1.weight().value(), bias,
                        FakeQuantize.fixed("fc_tiny.weight", FakeQuantize.Role.WEIGHT, spec,
                                QuantParams.perTensor(QuantGrid.narrowSigned(8), 1e-7, 0))), fc1));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Exporter.export(tiny, IMAGE));
        assertTrue(error.getMessage().contains("fc_tiny"), error.getMessage());
        assertTrue(error.getMessage().contains("int32"), error.getMessage());
    }

    @Test
    void rejectsWideActivationsNamingLayer() {
        Sequential quantized = HandQuantizedModels.mlp(3, 8, 12, 144, 20, 10);
        HandQuantizedModels.calibrateAndFreeze(quantized, images(1, 16), IMAGE);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export(quantized, IMAGE));
        assertTrue(error.getMessage().contains("fc1"), error.getMessage());
        assertTrue(error.getMessage().contains("2 to 8 bits"), error.getMessage());
    }

    @Test
    void rejectsQuantizerStillObserving() {
        Sequential quantized = calibratedMlp(8, 8);
        FakeQuantize hidden = (FakeQuantize) quantized.get(4);
        hidden.enableObserver(true);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export(quantized, IMAGE));
        assertTrue(error.getMessage().contains("fc1"), error.getMessage());
        assertTrue(error.getMessage().contains("freeze"), error.getMessage());
    }

    @Test
    void rejectsQuantizerWithFakeQuantDisabled() {
        Sequential quantized = calibratedMlp(8, 8);
        ((QuantLinear) quantized.get(2)).weightQuantizer().enableFakeQuant(false);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export(quantized, IMAGE));
        assertTrue(error.getMessage().contains("fc1.weight"), error.getMessage());
    }

    private static QuantLinear relinked(QuantLinear layer, QuantLinear like) {
        layer.link(like.inputQuantizer(), like.outputQuantizer(), like.reluFused());
        return layer;
    }
}
