package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model file size of the two reference architectures against their FP32 parameter bytes (4 bytes
 * per parameter): at most 26% with 8-bit weights and 14% with 4-bit weights.
 */
class ModelFileSizeTest {

    /** MLP 784-300-100-10: weights and biases. */
    private static final long MLP_FP32_PARAMETERS = 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10;

    /**
     * CNN: conv 1-16 3x3 and conv 16-32 3x3 without bias, each followed by batch norm (gamma and
     * beta per channel), then linear 1568-10 with bias.
     */
    private static final long CNN_FP32_PARAMETERS = 16 * 9 + 2 * 16 + 32 * 16 * 9 + 2 * 32 + 1568 * 10 + 10;

    @TempDir
    Path directory;

    @Test
    void parameterCountsMatchReferenceModels() {
        assertEquals(266_610, MLP_FP32_PARAMETERS);
        assertEquals(20_538, CNN_FP32_PARAMETERS);
    }

    @Test
    void mlpMeetsSizeTargets() throws IOException {
        assertWithinTarget(referenceMlp(8), MLP_FP32_PARAMETERS, 0.26, "mlp-int8");
        assertWithinTarget(referenceMlp(4), MLP_FP32_PARAMETERS, 0.14, "mlp-int4");
    }

    @Test
    void cnnMeetsSizeTargets() throws IOException {
        assertWithinTarget(referenceCnn(8), CNN_FP32_PARAMETERS, 0.26, "cnn-int8");
        assertWithinTarget(referenceCnn(4), CNN_FP32_PARAMETERS, 0.14, "cnn-int4");
    }

    private void assertWithinTarget(IntegerModel model, long fp32Parameters, double maxRatio, String label)
            throws IOException {
        Path file = directory.resolve(label + ".q4j");
        ModelFile.write(model, file);
        long size = Files.size(file);
        long fp32Bytes = 4 * fp32Parameters;
        assertTrue(size <= maxRatio * fp32Bytes, label + ": " + size + " bytes is "
                + String.format("%.2f%%", 100.0 * size / fp32Bytes) + " of " + fp32Bytes + " FP32 bytes");

        IntegerModel loaded = ModelFile.read(file);
        ModelFileTest.assertSameModel(model, loaded);
        assertArrayEquals(Files.readAllBytes(file), ModelFile.encode(loaded), label + ": re-encoding differs");
        byte[] inputs = RandomIntegerModels.randomInputs(new Random(3), 3 * model.inputSize());
        try (IntegerEngine original = new IntegerEngine(model, 3, 1);
             IntegerEngine reloaded = new IntegerEngine(loaded, 3, 1)) {
            List<int[]> want = original.layerOutputs(inputs);
            List<int[]> got = reloaded.layerOutputs(inputs);
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), label + ": layer " + i);
            }
        }
    }

    /** MLP 784-300-100-10 on raw pixels with random weights and 8-bit activations. */
    private static IntegerModel referenceMlp(int weightBits) {
        return RandomIntegerModels.mlp(new Random(40 + weightBits), weightBits, 8, 784, 300, 100, 10);
    }

    /**
     * conv 1-16 (3x3, pad 1) + ReLU, max pool 2, conv 16-32 (3x3, pad 1) + ReLU, max pool 2, flatten,
     * linear 1568-10, with random weights and 8-bit activations. Batch norm is folded into the
     * convolutions, so it adds a bias per channel here.
     */
    private static IntegerModel referenceCnn(int weightBits) {
        Random random = new Random(50 + weightBits);
        ActivationQuantization input = ActivationQuantization.RAW_PIXELS;
        ActivationQuantization a1 = RandomIntegerModels.randomActivation(random, 8);
        ActivationQuantization a2 = RandomIntegerModels.randomActivation(random, 8);
        List<IntegerLayer> layers = new ArrayList<>();
        layers.add(RandomIntegerModels.conv(random, "conv1", 1, 28, 28, 16, 3, 1, 1, weightBits, input,
                Requantizer.fullRange(a1, true, RandomIntegerModels.multipliers(random, 16, 9, weightBits, input, a1))));
        layers.add(new IntegerMaxPool2d("pool1", 16, 28, 28, 2, 2));
        layers.add(RandomIntegerModels.conv(random, "conv2", 16, 14, 14, 32, 3, 1, 1, weightBits, a1,
                Requantizer.fullRange(a2, true, RandomIntegerModels.multipliers(random, 32, 144, weightBits, a1, a2))));
        layers.add(new IntegerMaxPool2d("pool2", 32, 14, 14, 2, 2));
        layers.add(new IntegerFlatten("flatten", new int[] {32, 7, 7}));
        layers.add(RandomIntegerModels.linear(random, "fc", 1568, 10, weightBits, a2, null));
        return new IntegerModel(new int[] {1, 28, 28}, input, layers);
    }
}
