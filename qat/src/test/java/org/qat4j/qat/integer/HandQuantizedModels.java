package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Flatten;
import org.qat4j.autograd.nn.MaxPool2d;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.qat.FakeQuantize;
import org.qat4j.qat.MinMaxEstimator;
import org.qat4j.qat.QuantConv2d;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantLayer;
import org.qat4j.qat.QuantLinear;
import org.qat4j.qat.QuantParams;
import org.qat4j.qat.QuantScheme;
import org.qat4j.qat.QuantSpec;

/**
 * Quantized models assembled by hand from the quantization modules, as a prepared model is laid
 * out: an input quantizer with {@code s = 1/255} (rounded to float32), {@code z = 0}, then per layer the quantized layer,
 * its ReLU and its output quantizer. Min-max observers are calibrated on the given images and frozen.
 */
final class HandQuantizedModels {

    private HandQuantizedModels() {
    }

    static FakeQuantize inputQuantizer() {
        QuantGrid grid = QuantGrid.unsigned(8);
        return FakeQuantize.fixed("input", FakeQuantize.Role.ACTIVATION, QuantSpec.perTensor(grid, QuantScheme.ASYMMETRIC),
                QuantParams.perTensor(grid, (float) (1.0 / 255.0), 0));
    }

    static FakeQuantize weightQuantizer(String name, int bits, int channels) {
        QuantSpec spec = QuantSpec.perChannel(QuantGrid.narrowSigned(bits), QuantScheme.SYMMETRIC, 0);
        return new FakeQuantize(name + ".weight", FakeQuantize.Role.WEIGHT, new MinMaxEstimator(spec), channels, false, false);
    }

    static FakeQuantize activationQuantizer(String name, int bits) {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(bits), QuantScheme.ASYMMETRIC);
        return new FakeQuantize(name + ".output", FakeQuantize.Role.ACTIVATION, new MinMaxEstimator(spec), 1, false, false);
    }

    static INDArray randomWeights(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        return Nd4j.randn(DataType.FLOAT, shape).muli(Math.sqrt(2.0 / fanIn));
    }

    static INDArray randomBias(long seed, long size) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, size).muli(0.1);
    }

    /** Input quantizer, flatten, then Linear + ReLU + quantizer per hidden width, then the last Linear. */
    static Sequential mlp(long seed, int weightBits, int activationBits, int... widths) {
        List<Module> modules = new ArrayList<>();
        FakeQuantize current = inputQuantizer();
        modules.add(current);
        modules.add(new Flatten());
        for (int i = 0; i + 1 < widths.length; i++) {
            String name = "fc" + (i + 1);
            QuantLinear layer = new QuantLinear(name, randomWeights(seed + i, widths[i + 1], widths[i]),
                    randomBias(seed + 100 + i, widths[i + 1]), weightQuantizer(name, weightBits, widths[i + 1]));
            modules.add(layer);
            if (i + 2 < widths.length) {
                FakeQuantize output = activationQuantizer(name, activationBits);
                layer.link(current, output, true);
                modules.add(new ReLU());
                modules.add(output);
                current = output;
            } else {
                layer.link(current, null, false);
            }
        }
        return new Sequential(modules.toArray(new Module[0]));
    }

    /** conv(1->4, 3x3, pad 1) + ReLU, pool 2, conv(4->6, 3x3, stride 2, pad 1) + ReLU, flatten, linear -> 10. */
    static Sequential cnn(long seed, int weightBits, int activationBits) {
        FakeQuantize input = inputQuantizer();
        QuantConv2d conv1 = new QuantConv2d("conv1", randomWeights(seed, 4, 1, 3, 3), randomBias(seed + 1, 4), 1, 1,
                weightQuantizer("conv1", weightBits, 4));
        FakeQuantize a1 = activationQuantizer("conv1", activationBits);
        conv1.link(input, a1, true);
        QuantConv2d conv2 = new QuantConv2d("conv2", randomWeights(seed + 2, 6, 4, 3, 3), randomBias(seed + 3, 6), 2, 1,
                weightQuantizer("conv2", weightBits, 6));
        FakeQuantize a2 = activationQuantizer("conv2", activationBits);
        conv2.link(a1, a2, true);
        QuantLinear fc = new QuantLinear("fc", randomWeights(seed + 4, 10, 6 * 3 * 3), randomBias(seed + 5, 10),
                weightQuantizer("fc", weightBits, 10));
        fc.link(a2, null, false);
        return new Sequential(input, conv1, new ReLU(), a1, new MaxPool2d(2, 2), conv2, new ReLU(), a2, new Flatten(), fc);
    }

    /** Runs the observers in training mode on {@code images}, then freezes every quantizer. */
    static void calibrateAndFreeze(Sequential model, byte[] images, int[] sampleShape) {
        model.train();
        try (NoGrad ignored = NoGrad.enter()) {
            model.forward(Tensor.constant(pixelsToUnitRange(images, sampleShape)));
        }
        for (Module module : model.modules()) {
            if (module instanceof FakeQuantize quantizer) {
                quantizer.freeze();
            }
            if (module instanceof QuantLayer layer) {
                layer.weightQuantizer().freeze();
            }
        }
        model.eval();
    }

    /** Returns the images as float32 {@code pixel / 255} with a batch axis. */
    static INDArray pixelsToUnitRange(byte[] images, int[] sampleShape) {
        int size = 1;
        for (int d : sampleShape) {
            size *= d;
        }
        float[] values = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            values[i] = (images[i] & 0xFF) / 255f;
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = images.length / size;
        for (int i = 0; i < sampleShape.length; i++) {
            shape[i + 1] = sampleShape[i];
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** Returns the argmax class of each row of the fake-quant model's float logits. */
    static int[] fakeQuantClasses(Sequential model, byte[] images, int[] sampleShape) {
        try (NoGrad ignored = NoGrad.enter()) {
            INDArray logits = model.forward(Tensor.constant(pixelsToUnitRange(images, sampleShape))).value();
            int rows = (int) logits.size(0);
            int classes = (int) logits.size(1);
            int[] classesOut = new int[rows];
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits.getDouble(r, c) > logits.getDouble(r, best)) {
                        best = c;
                    }
                }
                classesOut[r] = best;
            }
            return classesOut;
        }
    }
}
