package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path directory;

    private static IntegerModel sampleCnn(int weightBits) {
        return RandomIntegerModels.cnn(new Random(100 + weightBits), weightBits, 8, 1, 1);
    }

    static void assertSameModel(IntegerModel expected, IntegerModel actual) {
        assertArrayEquals(expected.inputShape(), actual.inputShape());
        assertEquals(expected.input(), actual.input());
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int i = 0; i < expected.layers().size(); i++) {
            IntegerLayer want = expected.layers().get(i);
            IntegerLayer got = actual.layers().get(i);
            assertEquals(want.getClass(), got.getClass());
            assertEquals(want.name(), got.name());
            assertArrayEquals(want.inputShape(), got.inputShape());
            assertArrayEquals(want.outputShape(), got.outputShape());
            if (want instanceof IntegerWeightedLayer w) {
                IntegerWeightedLayer g = (IntegerWeightedLayer) got;
                assertEquals(w.weightBitWidth(), g.weightBitWidth());
                assertArrayEquals(w.weights(), g.weights(), w.name());
                assertArrayEquals(w.bias(), g.bias());
                assertArrayEquals(w.weightScales(), g.weightScales());
                assertEquals(w.input(), g.input());
                if (w.requantizer() == null) {
                    assertNull(g.requantizer());
                } else {
                    Requantizer rw = w.requantizer();
                    Requantizer rg = g.requantizer();
                    assertEquals(rw.output(), rg.output());
                    assertEquals(rw.qmin(), rg.qmin());
                    assertEquals(rw.qmax(), rg.qmax());
                    assertEquals(rw.relu(), rg.relu());
                    for (int c = 0; c < rw.channels(); c++) {
                        assertEquals(rw.multiplier(c).multiplier(), rg.multiplier(c).multiplier());
                        assertEquals(rw.multiplier(c).shift(), rg.multiplier(c).shift());
                        assertEquals(rw.multiplier(c).realMultiplier(), rg.multiplier(c).realMultiplier());
                    }
                }
            }
        }
    }

    private Path writeSample() throws IOException {
        Path file = directory.resolve("model.q4j");
        ModelFile.write(sampleCnn(8), file);
        return file;
    }

    private static void rewriteChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
    }

    private static String rejection(Path file) {
        return assertThrows(ModelFileException.class, () -> ModelFile.read(file)).getMessage();
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        for (int weightBits = 2; weightBits <= 8; weightBits++) {
            IntegerModel model = sampleCnn(weightBits);
            Path file = directory.resolve("cnn" + weightBits + ".q4j");
            ModelFile.write(model, file);
            IntegerModel loaded = ModelFile.read(file);
            assertSameModel(model, loaded);
            assertEquals(Files.size(file), ModelFile.sizeBytes(model));
            assertArrayEquals(Files.readAllBytes(file), ModelFile.encode(loaded), "re-encoding differs");
        }
    }

    @Test
    void loadedModelGivesIdenticalOutputs() throws IOException {
        IntegerModel model = sampleCnn(4);
        Path file = directory.resolve("cnn.q4j");
        ModelFile.write(model, file);
        byte[] inputs = RandomIntegerModels.randomInputs(new Random(5), 9 * model.inputSize());
        try (IntegerEngine original = new IntegerEngine(model, 4, 1);
             IntegerEngine loaded = new IntegerEngine(ModelFile.read(file), 4, 1)) {
            List<int[]> want = original.layerOutputs(inputs);
            List<int[]> got = loaded.layerOutputs(inputs);
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), "layer " + i);
            }
        }
    }

    @Test
    void fourBitWeightsArePackedTwoPerByte() {
        IntegerModel eight = sampleCnn(8);
        IntegerModel four = sampleCnn(4);
        int weightCount = 0;
        for (IntegerLayer layer : four.layers()) {
            if (layer instanceof IntegerWeightedLayer weighted) {
                weightCount += weighted.outChannels() * weighted.fanIn();
            }
        }
        // The same layer shapes with odd weight counts round up by one byte per layer at most.
        long saved = ModelFile.sizeBytes(eight) - ModelFile.sizeBytes(four);
        assertTrue(saved >= weightCount / 2 - 4, "saved " + saved + " of " + weightCount);
        assertTrue(saved <= weightCount / 2 + 4, "saved " + saved + " of " + weightCount);
    }

    @Test
    void packingRoundTripsNegativeValues() {
        byte[] weights = {-8, 7, -1, 0, 1, -7, -2, 3, -8};
        byte[] packed = ModelFile.packWeights(weights, 4);
        assertEquals(5, packed.length);
        assertEquals((byte) 0x78, packed[0]); // -8 = 0x8 in the low nibble, 7 in the high nibble
        assertEquals((byte) 0x0F, packed[1]); // -1 = 0xF low, 0 high
        assertArrayEquals(weights, ModelFile.unpackWeights(packed, weights.length, 4));

        byte[] twoBit = {-2, 1, -1, 0, 1};
        assertArrayEquals(twoBit, ModelFile.unpackWeights(ModelFile.packWeights(twoBit, 2), twoBit.length, 2));

        byte[] eightBit = {-128, 127, -1, 5};
        assertArrayEquals(eightBit, ModelFile.unpackWeights(ModelFile.packWeights(eightBit, 8), eightBit.length, 8));
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path file = directory.resolve("empty.q4j");
        Files.write(file, new byte[0]);
        assertTrue(rejection(file).contains("empty"), rejection(file));
    }

    @Test
    void rejectsTruncatedFile() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        for (int length : new int[] {3, 19, 100, bytes.length - 1}) {
            Files.write(file, Arrays.copyOf(bytes, length));
            String message = rejection(file);
            assertTrue(message.contains("truncated"), message);
        }
    }

    @Test
    void rejectsAlteredByteByChecksum() throws IOException {
        Path file = writeSample();
        byte[] original = Files.readAllBytes(file);
        for (int position : new int[] {20, 60, original.length / 2, original.length - 5}) {
            byte[] bytes = original.clone();
            bytes[position] ^= 0x10;
            Files.write(file, bytes);
            String message = rejection(file);
            assertTrue(message.contains("checksum mismatch"), "position " + position + ": " + message);
        }
    }

    @Test
    void rejectsWrongVersion() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, 3);
        rewriteChecksum(bytes);
        Files.write(file, bytes);
        String message = rejection(file);
        assertTrue(message.contains("unsupported format version 3"), message);
    }

    @Test
    void rejectsVersionOneFile() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, 1);
        rewriteChecksum(bytes);
        Files.write(file, bytes);
        String message = rejection(file);
        assertTrue(message.contains("format version 1 is no longer supported"), message);
        assertTrue(message.contains("Export the model again"), message);
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 'P';
        Files.write(file, bytes);
        String message = rejection(file);
        assertTrue(message.contains("wrong magic number"), message);
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 3));
        String message = rejection(file);
        assertTrue(message.contains("3 unexpected bytes"), message);
    }

    @Test
    void rejectsInconsistentHeaderWithValidChecksum() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        // The input shape rank is the byte right after the 12-byte prefix; rank 99 is out of range.
        bytes[12] = 99;
        rewriteChecksum(bytes);
        Files.write(file, bytes);
        String message = rejection(file);
        assertTrue(message.contains("invalid contents"), message);
        assertTrue(message.contains("rank 99"), message);
    }

    @Test
    void writeLeavesNoTemporaryFile() throws IOException {
        Path file = writeSample();
        ModelFile.write(sampleCnn(3), file);
        try (var files = Files.list(directory)) {
            assertEquals(List.of(file.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList());
        }
        assertFalse(ModelFile.read(file).layers().isEmpty());
    }

    @Test
    void rejectsStoredMultiplierThatDisagreesWithScales() throws IOException {
        IntegerModel model = RandomIntegerModels.mlp(new Random(8), 8, 8, 5, 3, 2);
        Path file = directory.resolve("mlp.q4j");
        ModelFile.write(model, file);
        byte[] bytes = Files.readAllBytes(file);
        // prefix 12, input shape 2, input q 6, layer count 1, type 1, name "fc1" 4, dimensions 2, weight bits 1,
        // input q 6, three f32 weight scales 12, requantizer flag 1, output q 6, qmin, qmax and ReLU 3.
        int firstMultiplier = 12 + 2 + 6 + 1 + 1 + 4 + 2 + 1 + 6 + 12 + 1 + 6 + 3;
        int m0 = ((IntegerWeightedLayer) model.layers().get(0)).requantizer().multiplier(0).multiplier();
        assertEquals(m0, ByteBuffer.wrap(bytes).getInt(firstMultiplier));
        ByteBuffer.wrap(bytes).putInt(firstMultiplier, m0 ^ 1);
        rewriteChecksum(bytes);
        Files.write(file, bytes);
        String message = rejection(file);
        assertTrue(message.contains("fc1: stored multiplier of channel 0 (M0 = " + (m0 ^ 1)), message);
        assertTrue(message.contains("computed from the stored scales"), message);
    }

    @Test
    void writeRejectsScaleThatIsNotFloat32() {
        IntegerLinear head = new IntegerLinear("head", 2, 2, 8, new byte[] {1, 0, 0, 1}, new double[] {0.1, 0.25},
                new int[2], ActivationQuantization.RAW_PIXELS, null);
        IntegerModel model = new IntegerModel(new int[] {2}, ActivationQuantization.RAW_PIXELS, List.of(head));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.write(model, directory.resolve("head.q4j")));
        assertTrue(error.getMessage().contains("head: weight scale of channel 0 0.1 is not a float32 value"),
                error.getMessage());
        assertFalse(Files.exists(directory.resolve("head.q4j")));
    }

    @Test
    void writeRejectsMultiplierNotFromScales() {
        ActivationQuantization hidden = new ActivationQuantization(8, 0, 0.5f);
        FixedPointMultiplier[] multipliers = {FixedPointMultiplier.of(0.001, "fc1"), FixedPointMultiplier.of(0.001, "fc1")};
        IntegerLinear fc1 = new IntegerLinear("fc1", 2, 2, 8, new byte[] {1, 0, 0, 1}, new double[] {0.25, 0.25},
                new int[2], ActivationQuantization.RAW_PIXELS, Requantizer.fullRange(hidden, true, multipliers));
        IntegerLinear fc2 = new IntegerLinear("fc2", 2, 2, 8, new byte[] {1, 0, 0, 1}, new double[] {0.25, 0.25},
                new int[2], hidden, null);
        IntegerModel model = new IntegerModel(new int[] {2}, ActivationQuantization.RAW_PIXELS, List.of(fc1, fc2));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelFile.encode(model));
        assertTrue(error.getMessage().startsWith("fc1: the requantization multiplier of channel 0"), error.getMessage());
    }

    @Test
    void varintsUseShortestForm() throws IOException {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, 1_568, Integer.MAX_VALUE};
        int[] lengths = {1, 1, 1, 2, 2, 3, 2, 5};
        for (int i = 0; i < values.length; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelFile.writeVarint(new DataOutputStream(bytes), values[i]);
            assertEquals(lengths[i], bytes.size(), "length of " + values[i]);
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            assertEquals(values[i], ModelFile.readVarint(buffer, "value"));
            assertFalse(buffer.hasRemaining());
        }
        assertArrayEquals(new byte[] {(byte) 0xA0, 0x0C}, varint(1_568));

        String padded = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x00}), "value")).getMessage();
        assertTrue(padded.contains("shortest form"), padded);
        String tooLarge = assertThrows(IllegalArgumentException.class, () -> ModelFile.readVarint(
                ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}), "value")).getMessage();
        assertTrue(tooLarge.contains("exceeds 2^31 - 1"), tooLarge);
        assertThrows(IllegalArgumentException.class,
                () -> ModelFile.writeVarint(new DataOutputStream(new ByteArrayOutputStream()), -1));
    }

    private static byte[] varint(int value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFile.writeVarint(new DataOutputStream(bytes), value);
        return bytes.toByteArray();
    }
}
