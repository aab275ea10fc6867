package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds small random integer models for tests: every width, random zero points and multipliers.
 * Scales are float32 values and each requantization multiplier is the one its scales give, as in
 * an exported model, so every model here can be written to a model file.
 */
final class RandomIntegerModels {

    private RandomIntegerModels() {
    }

    /**
     * conv(k3, stride, padding) + ReLU -> max pool 2 -> conv(k3, stride 2, pad 1) -> flatten -> linear + ReLU
     * -> linear (accumulators out), on {@code [2, 9, 8]} inputs with 8-bit input quantization.
     */
    static IntegerModel cnn(Random random, int weightBits, int activationBits, int stride, int padding) {
        int[] inputShape = {2, 9, 8};
        ActivationQuantization input = new ActivationQuantization(8, random.nextInt(256), 0.02f);
        List<IntegerLayer> layers = new ArrayList<>();

        ActivationQuantization a1 = randomActivation(random, activationBits);
        IntegerConv2d conv1 = conv(random, "conv1", 2, 9, 8, 4, 3, stride, padding, weightBits, input,
                Requantizer.fullRange(a1, true, multipliers(random, 4, 18, weightBits, input, a1)));
        layers.add(conv1);
        int[] shape = conv1.outputShape();

        IntegerMaxPool2d pool = new IntegerMaxPool2d("pool1", shape[0], shape[1], shape[2], 2, 2);
        layers.add(pool);
        shape = pool.outputShape();

        ActivationQuantization a2 = randomActivation(random, activationBits);
        boolean relu2 = random.nextBoolean();
        IntegerConv2d conv2 = conv(random, "conv2", shape[0], shape[1], shape[2], 5, 3, 2, 1, weightBits, a1,
                Requantizer.fullRange(a2, relu2, multipliers(random, 5, 36, weightBits, a1, a2)));
        layers.add(conv2);
        shape = conv2.outputShape();

        IntegerFlatten flatten = new IntegerFlatten("flatten", shape);
        layers.add(flatten);
        int features = flatten.outputSize();

        ActivationQuantization a3 = randomActivation(random, activationBits);
        layers.add(linear(random, "fc1", features, 7, weightBits, a2,
                Requantizer.fullRange(a3, true, multipliers(random, 7, features, weightBits, a2, a3))));
        layers.add(linear(random, "fc2", 7, 3, weightBits, a3, null));
        return new IntegerModel(inputShape, input, layers);
    }

    /** An MLP on {@code [inFeatures]} inputs: hidden layers with ReLU, then accumulators out. */
    static IntegerModel mlp(Random random, int weightBits, int activationBits, int... widths) {
        ActivationQuantization input = ActivationQuantization.RAW_PIXELS;
        List<IntegerLayer> layers = new ArrayList<>();
        ActivationQuantization current = input;
        for (int i = 0; i + 1 < widths.length; i++) {
            boolean last = i + 2 == widths.length;
            Requantizer requantizer = null;
            ActivationQuantization next = null;
            if (!last) {
                next = randomActivation(random, activationBits);
                requantizer = Requantizer.fullRange(next, true,
                        multipliers(random, widths[i + 1], widths[i], weightBits, current, next));
            }
            layers.add(linear(random, "fc" + (i + 1), widths[i], widths[i + 1], weightBits, current, requantizer));
            current = next;
        }
        return new IntegerModel(new int[] {widths[0]}, input, layers);
    }

    static ActivationQuantization randomActivation(Random random, int bits) {
        int qmax = (1 << bits) - 1;
        // Zero points in the lower half leave a ReLU output enough of the grid to spread over.
        return new ActivationQuantization(bits, random.nextInt(qmax / 2 + 1), (float) (0.01 + random.nextDouble()));
    }

    /**
     * Multipliers that map a typical accumulator ({@code sqrt(fanIn) * max|W| * max|x - z| / 2}) to about a quarter
     * of the output grid, times a random factor in [0.5, 2], so outputs spread over the grid and some clip.
     */
    static FixedPointMultiplier[] multipliers(Random random, int channels, int fanIn, int weightBits,
                                              ActivationQuantization in, ActivationQuantization out) {
        double typical = Math.sqrt(fanIn) * (1 << (weightBits - 1)) * Math.max(1, in.maxAbsCentered()) / 2.0;
        FixedPointMultiplier[] result = new FixedPointMultiplier[channels];
        for (int c = 0; c < channels; c++) {
            double m = (out.qmax() + 1) / 4.0 / typical * Math.pow(2, 2 * random.nextDouble() - 1);
            result[c] = FixedPointMultiplier.of(m, "random");
        }
        return result;
    }

    /**
     * A random convolution. With a requantizer, the weight scales are set to
     * {@code s_w[c] = M_c * s_y / s_x} rounded to float32, and the requantizer is rebuilt with
     * {@link FixedPointMultiplier#forScales}, so its multipliers are within float32 precision of the given ones.
     */
    static IntegerConv2d conv(Random random, String name, int inC, int inH, int inW, int outC, int kernel, int stride,
                              int padding, int weightBits, ActivationQuantization input, Requantizer requantizer) {
        int fanIn = inC * kernel * kernel;
        double[] scales = weightScales(random, outC, input, requantizer);
        return new IntegerConv2d(name, inC, inH, inW, outC, kernel, stride, padding, weightBits,
                randomWeights(random, outC * fanIn, weightBits), scales,
                randomBias(random, outC, fanIn, weightBits, input), input, fromScales(name, scales, input, requantizer));
    }

    /** A random linear layer; weight scales and requantizer as in {@link #conv}. */
    static IntegerLinear linear(Random random, String name, int in, int out, int weightBits,
                                ActivationQuantization input, Requantizer requantizer) {
        double[] scales = weightScales(random, out, input, requantizer);
        return new IntegerLinear(name, in, out, weightBits, randomWeights(random, out * in, weightBits), scales,
                randomBias(random, out, in, weightBits, input), input, fromScales(name, scales, input, requantizer));
    }

    private static double[] weightScales(Random random, int channels, ActivationQuantization input,
                                         Requantizer requantizer) {
        if (requantizer == null) {
            return randomScales(random, channels);
        }
        double[] scales = new double[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = (float) (requantizer.multiplier(c).realMultiplier() * requantizer.output().scale() / input.scale());
        }
        return scales;
    }

    private static Requantizer fromScales(String name, double[] weightScales, ActivationQuantization input,
                                          Requantizer requantizer) {
        if (requantizer == null) {
            return null;
        }
        FixedPointMultiplier[] multipliers = new FixedPointMultiplier[weightScales.length];
        for (int c = 0; c < weightScales.length; c++) {
            multipliers[c] = FixedPointMultiplier.forScales(weightScales[c], input.scale(), requantizer.output().scale(),
                    name);
        }
        return new Requantizer(requantizer.output(), requantizer.qmin(), requantizer.qmax(), requantizer.relu(),
                multipliers);
    }

    static byte[] randomWeights(Random random, int count, int bits) {
        int low = -(1 << (bits - 1));
        int span = 1 << bits;
        byte[] weights = new byte[count];
        for (int i = 0; i < count; i++) {
            weights[i] = (byte) (low + random.nextInt(span));
        }
        return weights;
    }

    static double[] randomScales(Random random, int count) {
        double[] scales = new double[count];
        for (int i = 0; i < count; i++) {
            scales[i] = (float) (1e-3 + random.nextDouble() * 0.1);
        }
        return scales;
    }

    static int[] randomBias(Random random, int count, int fanIn, int weightBits, ActivationQuantization input) {
        int bound = Math.max(1, (int) Math.sqrt(fanIn) * (1 << (weightBits - 1)) * Math.max(1, input.maxAbsCentered()) / 4);
        int[] bias = new int[count];
        for (int i = 0; i < count; i++) {
            bias[i] = random.nextInt(2 * bound + 1) - bound;
        }
        return bias;
    }

    static byte[] randomInputs(Random random, int count) {
        byte[] inputs = new byte[count];
        random.nextBytes(inputs);
        return inputs;
    }
}
