package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IntegerEngineTest {

    private static void assertLayersMatchReference(IntegerModel model, byte[] inputs, String label) {
        List<long[]> expected = ReferenceEngine.layerOutputs(model, inputs);
        try (IntegerEngine engine = new IntegerEngine(model, 3, 2)) {
            List<int[]> actual = engine.layerOutputs(inputs);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                long[] want = expected.get(i);
                int[] got = actual.get(i);
                assertEquals(want.length, got.length, label + " layer " + i);
                for (int j = 0; j < want.length; j++) {
                    if (want[j] != got[j]) {
                        throw new AssertionError(label + " layer " + model.layers().get(i).name() + " element " + j
                                + ": expected " + want[j] + ", engine " + got[j]);
                    }
                }
            }
        }
    }

    private static int distinctValues(long[] values) {
        return (int) Arrays.stream(values).distinct().count();
    }

    @Test
    void cnnLayersMatchReferenceForAllWidths() {
        Random random = new Random(42);
        int model = 0;
        for (int weightBits = 2; weightBits <= 8; weightBits++) {
            for (int activationBits = 2; activationBits <= 8; activationBits++) {
                int stride = 1 + model % 2;
                int padding = (model / 2) % 2;
                IntegerModel cnn = RandomIntegerModels.cnn(random, weightBits, activationBits, stride, padding);
                byte[] inputs = RandomIntegerModels.randomInputs(random, 7 * cnn.inputSize());
                assertLayersMatchReference(cnn, inputs, "w" + weightBits + "a" + activationBits + " stride " + stride
                        + " padding " + padding);
                model++;
            }
        }
    }

    @Test
    void convWithWidePaddingMatchesReference() {
        Random random = new Random(31);
        int[][] cases = {{3, 2, 1}, {5, 4, 1}, {5, 3, 2}, {1, 0, 1}, {1, 0, 3}, {4, 1, 3}};
        for (int[] kernelPaddingStride : cases) {
            int kernel = kernelPaddingStride[0];
            int padding = kernelPaddingStride[1];
            int stride = kernelPaddingStride[2];
            ActivationQuantization input = new ActivationQuantization(8, random.nextInt(256), 0.1);
            ActivationQuantization hidden = RandomIntegerModels.randomActivation(random, 8);
            IntegerConv2d conv = RandomIntegerModels.conv(random, "conv", 2, 7, 6, 3, kernel, stride, padding, 8, input,
                    Requantizer.fullRange(hidden, false,
                            RandomIntegerModels.multipliers(random, 3, 2 * kernel * kernel, 8, input, hidden)));
            IntegerFlatten flatten = new IntegerFlatten("flatten", conv.outputShape());
            IntegerLinear fc = RandomIntegerModels.linear(random, "fc", flatten.outputSize(), 4, 8, hidden, null);
            IntegerModel model = new IntegerModel(new int[] {2, 7, 6}, input, List.of(conv, flatten, fc));
            byte[] inputs = RandomIntegerModels.randomInputs(random, 5 * model.inputSize());
            assertLayersMatchReference(model, inputs, "kernel " + kernel + " padding " + padding + " stride " + stride);
        }
    }

    @Test
    void maxPoolMatchesReferenceForEveryWindow() {
        Random random = new Random(37);
        int[][] cases = {{2, 2}, {3, 2}, {2, 1}, {3, 3}, {1, 1}};
        for (int[] kernelStride : cases) {
            ActivationQuantization input = new ActivationQuantization(8, 0, 0.1);
            IntegerMaxPool2d pool = new IntegerMaxPool2d("pool", 3, 7, 9, kernelStride[0], kernelStride[1]);
            IntegerFlatten flatten = new IntegerFlatten("flatten", pool.outputShape());
            IntegerLinear fc = RandomIntegerModels.linear(random, "fc", flatten.outputSize(), 2, 8, input, null);
            IntegerModel model = new IntegerModel(new int[] {3, 7, 9}, input, List.of(pool, flatten, fc));
            byte[] inputs = RandomIntegerModels.randomInputs(random, 4 * model.inputSize());
            assertLayersMatchReference(model, inputs, "pool " + kernelStride[0] + " stride " + kernelStride[1]);
        }
    }

    @Test
    void randomModelsExerciseTheWholeGrid() {
        // Guards the test above: requantized outputs must spread over the grid, not collapse to one clamp value.
        Random random = new Random(42);
        IntegerModel cnn = RandomIntegerModels.cnn(random, 8, 8, 1, 1);
        byte[] inputs = RandomIntegerModels.randomInputs(random, 7 * cnn.inputSize());
        List<long[]> outputs = ReferenceEngine.layerOutputs(cnn, inputs);
        assertTrue(distinctValues(outputs.get(0)) > 20, "conv1 outputs " + distinctValues(outputs.get(0)));
        assertTrue(distinctValues(outputs.get(2)) > 8, "conv2 outputs " + distinctValues(outputs.get(2)));
        assertTrue(distinctValues(outputs.get(4)) > 5, "fc1 outputs " + distinctValues(outputs.get(4)));
    }

    @Test
    void mlpLayersMatchReferenceWithTails() {
        Random random = new Random(7);
        for (int weightBits : new int[] {2, 4, 8}) {
            IntegerModel mlp = RandomIntegerModels.mlp(random, weightBits, 8, 37, 33, 17, 10);
            byte[] inputs = RandomIntegerModels.randomInputs(random, 11 * mlp.inputSize());
            assertLayersMatchReference(mlp, inputs, "mlp w" + weightBits);
        }
    }

    @Test
    void classifyIsArgmaxOfReferenceScores() {
        Random random = new Random(9);
        IntegerModel mlp = RandomIntegerModels.mlp(random, 8, 8, 50, 40, 10);
        IntegerWeightedLayer last = (IntegerWeightedLayer) mlp.layers().get(1);
        byte[] inputs = RandomIntegerModels.randomInputs(random, 600 * mlp.inputSize());
        List<long[]> reference = ReferenceEngine.layerOutputs(mlp, inputs);
        long[] logits = reference.get(reference.size() - 1);
        int[] expected = new int[600];
        for (int s = 0; s < expected.length; s++) {
            int best = 0;
            BigInteger bestScore = null;
            for (int c = 0; c < 10; c++) {
                FixedPointMultiplier r = last.scoreMultiplier(c);
                BigInteger score = ReferenceEngine.roundedProduct(logits[s * 10 + c], r.multiplier(), r.shift());
                if (bestScore == null || score.compareTo(bestScore) > 0) {
                    best = c;
                    bestScore = score;
                }
            }
            expected[s] = best;
        }
        try (IntegerEngine twoThreads = new IntegerEngine(mlp, 64, 2);
             IntegerEngine oneThread = new IntegerEngine(mlp, 600, 1)) {
            assertArrayEquals(expected, twoThreads.classify(inputs));
            assertArrayEquals(expected, oneThread.classify(inputs));
        }
    }

    private static IntegerLinear identityHead(double... weightScales) {
        int classes = weightScales.length;
        byte[] weights = new byte[classes * classes];
        for (int c = 0; c < classes; c++) {
            weights[c * classes + c] = 1;
        }
        return new IntegerLinear("head", classes, classes, 8, weights, weightScales, new int[classes],
                ActivationQuantization.RAW_PIXELS, null);
    }

    @Test
    void classTiesGoToLowestIndex() {
        IntegerLinear head = identityHead(0.5, 0.5, 0.5, 0.5);
        assertEquals(1, IntegerEngine.predictClass(head, new int[] {3, 7, 7, 2}, 0));
        assertEquals(0, IntegerEngine.predictClass(head, new int[] {5, 5, 5, 5}, 0));
        assertEquals(1, IntegerEngine.predictClass(head, new int[] {9, 9, -4, -1, -1, -5}, 2)); // relative to the offset
    }

    @Test
    void classWeighsAccumulatorsByChannelScale() {
        // Real logits 100 * 0.01 = 1.0 and 60 * 0.02 = 1.2: the smaller accumulator wins.
        IntegerLinear head = identityHead(0.01, 0.02);
        assertEquals(1, IntegerEngine.predictClass(head, new int[] {100, 60}, 0));
        assertEquals(0, IntegerEngine.predictClass(head, new int[] {100, 49}, 0));
        assertEquals(0, IntegerEngine.predictClass(head, new int[] {100, 50}, 0)); // equal logits: lowest index
        IntegerModel model = new IntegerModel(new int[] {2}, ActivationQuantization.RAW_PIXELS, List.of(head));
        try (IntegerEngine engine = new IntegerEngine(model, 2, 1)) {
            assertArrayEquals(new int[] {1, 0}, engine.classify(new byte[] {100, 60, 100, 49}));
        }
    }

    @Test
    void paddingUsesInputZeroPoint() {
        // 1x1 input channel, 3x3 kernel of ones, padding 1: a corner output sums 4 real values plus 5 padded zeros.
        int zeroPoint = 100;
        ActivationQuantization input = new ActivationQuantization(8, zeroPoint, 0.1);
        byte[] weights = new byte[9];
        Arrays.fill(weights, (byte) 1);
        IntegerConv2d conv = new IntegerConv2d("conv", 1, 2, 2, 1, 3, 1, 1, 8, weights, new double[] {1.0},
                new int[] {0}, input, null);
        byte[] pixels = {(byte) 101, (byte) 103, (byte) 98, (byte) 100}; // real values 1, 3, -2, 0
        int[] accumulators = new int[4];
        conv.accumulate(pixels, 1, accumulators, new Workspace());
        assertArrayEquals(new int[] {2, 2, 2, 2}, accumulators);
    }

    @Test
    void rejectsLayerThatCanOverflowNamingIt() {
        int fanIn = 70_000; // 70000 * 127 * 255 > 2^31 - 1
        byte[] weights = new byte[fanIn];
        weights[0] = 127;
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerLinear("fc_wide", fanIn, 1, 8, weights, new double[] {0.1}, new int[] {0},
                        ActivationQuantization.RAW_PIXELS, null));
        assertTrue(error.getMessage().contains("fc_wide"), error.getMessage());
        assertTrue(error.getMessage().contains("overflow"), error.getMessage());
    }

    @Test
    void rejectsBiasThatLeavesNoHeadroomNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerLinear("fc_bias", 1, 1, 8, new byte[] {1}, new double[] {0.1},
                        new int[] {Integer.MAX_VALUE - 100}, ActivationQuantization.RAW_PIXELS, null));
        assertTrue(error.getMessage().contains("fc_bias"), error.getMessage());
    }

    @Test
    void acceptsLayerAtOverflowLimit() {
        // 8421 * 1 * 255 + 2147483647 - 8421 * 255 is exactly 2^31 - 1.
        byte[] weights = new byte[8421];
        Arrays.fill(weights, (byte) 1);
        int bias = Integer.MAX_VALUE - 8421 * 255;
        IntegerLinear layer = new IntegerLinear("fc_edge", 8421, 1, 8, weights, new double[] {0.1}, new int[] {bias},
                ActivationQuantization.RAW_PIXELS, null);
        IntegerModel model = new IntegerModel(new int[] {8421}, ActivationQuantization.RAW_PIXELS, List.of(layer));
        byte[] pixels = new byte[8421];
        Arrays.fill(pixels, (byte) 255);
        try (IntegerEngine engine = new IntegerEngine(model, 1, 1)) {
            assertArrayEquals(new int[] {Integer.MAX_VALUE}, engine.accumulators(pixels));
        }
    }

    @Test
    void rejectsWeightOutsideGridNamingLayer() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerLinear("fc4", 2, 1, 4, new byte[] {7, 8}, new double[] {0.1}, new int[] {0},
                        ActivationQuantization.RAW_PIXELS, null));
        assertTrue(error.getMessage().contains("fc4"), error.getMessage());
        assertTrue(error.getMessage().contains("[-8, 7]"), error.getMessage());
    }

    @Test
    void rejectsModelWithMismatchedShapes() {
        Random random = new Random(1);
        IntegerLinear fc = RandomIntegerModels.linear(random, "fc", 5, 3, 8, ActivationQuantization.RAW_PIXELS, null);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerModel(new int[] {6}, ActivationQuantization.RAW_PIXELS, List.of(fc)));
        assertTrue(error.getMessage().contains("fc"), error.getMessage());
        assertTrue(error.getMessage().contains("[5]"), error.getMessage());
    }

    @Test
    void rejectsModelWithMismatchedZeroPoint() {
        Random random = new Random(2);
        ActivationQuantization hidden = new ActivationQuantization(8, 3, 0.5);
        IntegerLinear fc1 = RandomIntegerModels.linear(random, "fc1", 4, 4, 8, ActivationQuantization.RAW_PIXELS,
                Requantizer.fullRange(hidden, true, RandomIntegerModels.multipliers(random, 4, 4, 8,
                        ActivationQuantization.RAW_PIXELS, hidden)));
        IntegerLinear fc2 = RandomIntegerModels.linear(random, "fc2", 4, 2, 8, new ActivationQuantization(8, 4, 0.5), null);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerModel(new int[] {4}, ActivationQuantization.RAW_PIXELS, List.of(fc1, fc2)));
        assertTrue(error.getMessage().contains("fc2"), error.getMessage());
    }

    @Test
    void rejectsLastLayerWithSpatialOutput() {
        Random random = new Random(4);
        IntegerConv2d conv = RandomIntegerModels.conv(random, "conv_head", 1, 4, 4, 3, 3, 1, 0, 8,
                ActivationQuantization.RAW_PIXELS, null);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IntegerModel(new int[] {1, 4, 4}, ActivationQuantization.RAW_PIXELS, List.of(conv)));
        assertTrue(error.getMessage().contains("conv_head"), error.getMessage());
        assertTrue(error.getMessage().contains("one value per class"), error.getMessage());
    }

    @Test
    void rejectsInputOfWrongLength() {
        Random random = new Random(3);
        IntegerModel mlp = RandomIntegerModels.mlp(random, 8, 8, 5, 3);
        try (IntegerEngine engine = new IntegerEngine(mlp, 4, 1)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> engine.classify(new byte[11]));
            assertTrue(error.getMessage().contains("11"), error.getMessage());
        }
    }
}
