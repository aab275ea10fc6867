package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.qat4j.autograd.nn.Models;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.qat.Prepare;
import org.qat4j.qat.Ptq;
import org.qat4j.qat.QuantConfig;

/** Export of models built by {@link Prepare} from the reference MNIST networks, calibrated by {@link Ptq}. */
class PreparedModelExportTest {

    private static final int[] IMAGE = {1, 28, 28};

    private static byte[] images(long seed, int count) {
        byte[] images = new byte[count * 784];
        new Random(seed).nextBytes(images);
        return images;
    }

    private static Sequential calibrated(String name, int weightBits, int activationBits) {
        Sequential quantized = Prepare.prepare(Models.byName(name, 1), QuantConfig.defaults().withBits(weightBits,
                activationBits));
        Ptq.calibrate(quantized, List.of(HandQuantizedModels.pixelsToUnitRange(images(2, 32), IMAGE)));
        return quantized;
    }

    private static void assertSimulationMatchesEngine(Sequential quantized, byte[] inputs, String label) {
        ExactSimulation simulation = new ExactSimulation(quantized, IMAGE);
        List<long[]> simulated = simulation.layerOutputs(inputs);
        try (IntegerEngine engine = new IntegerEngine(simulation.model(), 16, 2)) {
            List<int[]> actual = engine.layerOutputs(inputs);
            for (int i = 0; i < actual.size(); i++) {
                long[] want = simulated.get(i);
                int[] got = actual.get(i);
                assertEquals(want.length, got.length);
                for (int j = 0; j < want.length; j++) {
                    if (want[j] != got[j]) {
                        throw new AssertionError(label + " layer " + simulation.model().layers().get(i).name()
                                + " element " + j + ": simulation " + want[j] + ", engine " + got[j]);
                    }
                }
            }
            assertArrayEquals(simulation.classify(inputs), engine.classify(inputs), label + " classes");
        }
    }

    @Test
    void preparedCnnSimulationMatchesEngine() {
        assertSimulationMatchesEngine(calibrated("cnn", 8, 8), images(3, 40), "cnn w8a8");
        assertSimulationMatchesEngine(calibrated("cnn", 4, 4), images(4, 40), "cnn w4a4");
    }

    @Test
    void preparedMlpSimulationMatchesEngine() {
        assertSimulationMatchesEngine(calibrated("mlp", 8, 8), images(5, 100), "mlp w8a8");
        assertSimulationMatchesEngine(calibrated("mlp", 2, 3), images(6, 100), "mlp w2a3");
    }

    @Test
    void preparedCnnLayout() {
        IntegerModel model = Exporter.export(calibrated("cnn", 8, 8), IMAGE);
        List<String> names = model.layers().stream().map(IntegerLayer::name).toList();
        assertEquals(List.of("0", "pool1", "4", "pool2", "flatten1", "9"), names);
        assertEquals(10, model.classCount());
        IntegerConv2d conv1 = (IntegerConv2d) model.layers().get(0);
        assertTrue(conv1.requantizer().relu());
        assertEquals(0, conv1.input().zeroPoint());
    }

    @Test
    void preparedMlpAgreesWithFakeQuant() {
        Sequential quantized = calibrated("mlp", 8, 8);
        byte[] inputs = images(7, 300);
        int[] fakeQuant = HandQuantizedModels.fakeQuantClasses(quantized, inputs, IMAGE);
        int agree = 0;
        try (IntegerEngine engine = new IntegerEngine(Exporter.export(quantized, IMAGE))) {
            int[] integer = engine.classify(inputs);
            for (int i = 0; i < integer.length; i++) {
                agree += integer[i] == fakeQuant[i] ? 1 : 0;
            }
        }
        // Float rounding in the fake-quant accumulators moves a few requantized values by one step.
        assertTrue(agree >= 290, "agreement " + agree + " of 300");
    }
}
