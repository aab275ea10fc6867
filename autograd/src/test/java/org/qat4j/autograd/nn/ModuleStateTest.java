package org.qat4j.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModuleStateTest {

    @TempDir
    Path directory;

    private static void assertSameState(Module expected, Module actual) {
        Map<String, INDArray> a = expected.stateDict();
        Map<String, INDArray> b = actual.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).ravel().toFloatVector(), b.get(key).ravel().toFloatVector(), 0f, key);
        }
    }

    @Test
    void sameSeedGivesSameWeights() {
        assertSameState(Models.cnn(7), Models.cnn(7));
        assertSameState(Models.mlp(7), Models.mlp(7));
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        assertNotEquals(Arrays.toString(Models.mlp(1).stateDict().get("1.weight").ravel().toFloatVector()),
                Arrays.toString(Models.mlp(2).stateDict().get("1.weight").ravel().toFloatVector()));
    }

    @Test
    void heInitHasExpectedSpread() {
        INDArray w = new Linear(800, 400, 3).weight().value();
        double std = w.stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / 800), std, 0.02 * Math.sqrt(2.0 / 800));
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.002);
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        Sequential source = Models.cnn(3);
        ((BatchNorm2d) source.get(1)).runningMean().assign(Nd4j.linspace(DataType.FLOAT, 1, 16, 1));
        Path file = directory.resolve("model.bin");
        source.save(file);
        Sequential target = Models.cnn(4);
        target.load(file);
        assertSameState(source, target);
        try (var files = Files.list(directory)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void truncatedFileRejected() throws IOException {
        Path file = directory.resolve("model.bin");
        Models.mlp(1).save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> Models.mlp(1).load(file));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void alteredByteRejected() throws IOException {
        Path file = directory.resolve("model.bin");
        Models.mlp(1).save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Models.mlp(1).load(file));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void foreignFileRejected() throws IOException {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "this is not a model file at all");
        IOException e = assertThrows(IOException.class, () -> Models.mlp(1).load(file));
        assertTrue(e.getMessage().contains("magic number"), e.getMessage());
    }

    @Test
    void otherArchitectureRejected() throws IOException {
        Path file = directory.resolve("cnn.bin");
        Models.cnn(1).save(file);
        IOException e = assertThrows(IOException.class, () -> Models.mlp(1).load(file));
        assertTrue(e.getMessage().contains("entries"), e.getMessage());
    }

    @Test
    void shapeMismatchNamesKey() {
        Sequential net = Models.mlp(1);
        Map<String, INDArray> state = new LinkedHashMap<>(net.stateDict());
        state.put("3.weight", Nd4j.zeros(DataType.FLOAT, 100, 301));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertEquals("State dict key '3.weight' has shape [100, 301] but the module expects [100, 300]", e.getMessage());
    }

    @Test
    void missingKeyNamed() {
        Sequential net = Models.mlp(1);
        Map<String, INDArray> state = new LinkedHashMap<>(net.stateDict());
        state.remove("5.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("State dict is missing keys [5.bias]"), e.getMessage());
    }

    @Test
    void unexpectedKeyNamed() {
        Sequential net = Models.mlp(1);
        Map<String, INDArray> state = new LinkedHashMap<>(net.stateDict());
        state.put("6.weight", Nd4j.zeros(DataType.FLOAT, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("State dict has unexpected key '6.weight'"), e.getMessage());
    }

    @Test
    void loadStateDictCopiesValues() {
        Sequential source = Models.mlp(5);
        Sequential target = Models.mlp(6);
        INDArray before = target.stateDict().get("1.weight");
        target.loadStateDict(source.stateDict());
        assertSameState(source, target);
        assertTrue(before == target.stateDict().get("1.weight"), "parameters keep their arrays");
    }

    @Test
    void unknownModelNameListsValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.byName("resnet", 1));
        assertEquals("Unknown model 'resnet'; valid names: mlp, cnn", e.getMessage());
    }

    @Test
    void trainAndEvalPropagate() {
        Sequential net = Models.cnn(1);
        net.eval();
        assertFalse(net.isTraining());
        assertFalse(net.get(1).isTraining());
        net.train();
        assertTrue(net.get(5).isTraining());
    }
}
