package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.BatchNorm2d;
import org.qat4j.autograd.nn.Conv2d;
import org.qat4j.autograd.nn.Flatten;
import org.qat4j.autograd.nn.Linear;
import org.qat4j.autograd.nn.MaxPool2d;
import org.qat4j.autograd.nn.Models;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;

class PrepareTest {

    /** Gives a batch norm non-trivial statistics, with gamma = 0 in channel {@code zeroChannel}. */
    private static void randomizeBatchNorm(BatchNorm2d bn, long seed, int zeroChannel) {
        Nd4j.getRandom().setSeed(seed);
        int c = bn.channels();
        bn.gamma().value().assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5));
        bn.beta().value().assign(Nd4j.randn(DataType.FLOAT, c));
        bn.runningMean().assign(Nd4j.randn(DataType.FLOAT, c));
        bn.runningVar().assign(Nd4j.rand(DataType.FLOAT, c).addi(0.1));
        if (zeroChannel >= 0) {
            bn.gamma().value().putScalar(zeroChannel, 0f);
        }
    }

    private static INDArray images(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, 1, 28, 28);
    }

    private static INDArray forwardNoGrad(Module model, INDArray x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return model.forward(Tensor.constant(x)).value().dup();
        }
    }

    @Test
    void foldedConvMatchesConvThenBatchNorm() {
        for (boolean convBias : new boolean[] {false, true}) {
            Conv2d conv = new Conv2d(3, 4, 3, 1, 1, convBias, 11);
            if (convBias) {
                conv.bias().value().assign(Nd4j.createFromArray(0.5f, -1f, 2f, 0.25f));
            }
            BatchNorm2d bn = new BatchNorm2d(4);
            randomizeBatchNorm(bn, 12, 2);
            Sequential reference = new Sequential(conv, bn);
            reference.eval();
            Nd4j.getRandom().setSeed(13);
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 6);

            BatchNormFolding.Folded folded = BatchNormFolding.fold(conv, bn);
            Tensor y = org.qat4j.autograd.F.conv2d(Tensor.constant(x), Tensor.constant(folded.weight()),
                    Tensor.constant(folded.bias()), 1, 1);
            INDArray expected = forwardNoGrad(reference, x);
            double maxDiff = Nd4j.getExecutioner().exec(
                    new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(y.value().sub(expected))).getDouble(0);
            assertTrue(maxDiff < 1e-5, "bias " + convBias + ": max difference " + maxDiff);
        }
    }

    @Test
    void zeroGammaChannelHasNoNaN() {
        Conv2d conv = new Conv2d(1, 3, 3, 1, 1, false, 21);
        BatchNorm2d bn = new BatchNorm2d(3);
        randomizeBatchNorm(bn, 22, 1);
        bn.runningVar().putScalar(1, 0f);
        Sequential fp32 = new Sequential(conv, bn, new ReLU(), new Flatten(), new Linear(3 * 28 * 28, 4, 23));
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults());
        Ptq.calibrate(model, List.of(images(24, 4)));

        QuantConv2d layer = (QuantConv2d) QuantModel.layers(model).get(0);
        assertEquals(0.0, layer.weight().value().slice(1).amaxNumber().doubleValue(), 0.0);
        assertEquals(bn.beta().value().getDouble(1), layer.bias().value().getDouble(1), 1e-7);
        assertTrue(layer.weightQuantizer().params().scale(1) > 0);

        model.train();
        Tensor out = model.forward(Tensor.constant(images(25, 4)));
        assertTrue(Double.isFinite(out.value().sumNumber().doubleValue()));
        org.qat4j.autograd.F.sum(out).backward();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            assertTrue(Double.isFinite(e.getValue().grad().sumNumber().doubleValue()), e.getKey());
        }
    }

    @Test
    void cnnStructureAndLinks() {
        Sequential fp32 = Models.cnn(1);
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults());
        List<Class<?>> types = new ArrayList<>();
        model.modules().forEach(m -> types.add(m.getClass()));
        assertEquals(List.of(FakeQuantize.class, QuantConv2d.class, ReLU.class, FakeQuantize.class, MaxPool2d.class,
                QuantConv2d.class, ReLU.class, FakeQuantize.class, MaxPool2d.class, Flatten.class, QuantLinear.class),
                types);

        List<QuantLayer> layers = QuantModel.layers(model);
        assertEquals(3, layers.size());
        FakeQuantize input = (FakeQuantize) model.get(0);
        assertSame(input, layers.get(0).inputQuantizer());
        assertSame(model.get(3), layers.get(0).outputQuantizer());
        assertSame(model.get(3), layers.get(1).inputQuantizer());
        assertSame(model.get(7), layers.get(1).outputQuantizer());
        assertSame(model.get(7), layers.get(2).inputQuantizer());
        assertNull(layers.get(2).outputQuantizer());
        assertTrue(layers.get(0).reluFused());
        assertFalse(layers.get(2).reluFused());
        assertEquals("0", layers.get(0).name());
        assertEquals("4", layers.get(1).name());
        assertEquals("9", layers.get(2).name());
        assertEquals("4.output", layers.get(1).outputQuantizer().name());

        QuantParams inputParams = input.params();
        assertEquals((float) (1.0 / 255), inputParams.scale(0), 0.0);
        assertEquals(0, inputParams.zeroPoint(0));
        assertEquals(QuantGrid.unsigned(8), inputParams.grid());
        assertEquals(QuantGrid.unsigned(8), layers.get(0).outputQuantizer().grid());
        assertEquals(QuantGrid.narrowSigned(8), layers.get(0).weightQuantizer().grid());
        assertEquals(16, layers.get(0).weightQuantizer().channels());
        assertEquals(0, layers.get(0).weightQuantizer().spec().axis());
    }

    @Test
    void fp32ModelIsUntouched() {
        Sequential fp32 = Models.mlp(3);
        Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        fp32.stateDict().forEach((k, v) -> before.put(k, v.dup()));
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults(), new InputNormalization(0.1307, 0.3081));
        Ptq.calibrate(model, List.of(images(4, 8)));
        QuantModel.layers(model).get(0).weight().value().addi(1);
        fp32.stateDict().forEach((k, v) -> assertEquals(before.get(k), v, k));
        assertNotSame(((Linear) fp32.get(1)).weight().value(), QuantModel.layers(model).get(0).weight().value());
    }

    @Test
    void mlpStructure() {
        Sequential model = Prepare.prepare(Models.mlp(1), QuantConfig.defaults().withBits(4, 4));
        List<Class<?>> types = new ArrayList<>();
        model.modules().forEach(m -> types.add(m.getClass()));
        assertEquals(List.of(FakeQuantize.class, Flatten.class, QuantLinear.class, ReLU.class, FakeQuantize.class,
                QuantLinear.class, ReLU.class, FakeQuantize.class, QuantLinear.class), types);
        assertEquals(QuantGrid.narrowSigned(4), QuantModel.layers(model).get(0).weightQuantizer().grid());
        assertEquals(QuantGrid.unsigned(4), QuantModel.layers(model).get(0).outputQuantizer().grid());
        assertEquals(QuantGrid.unsigned(8), QuantModel.layers(model).get(0).inputQuantizer().grid());
    }

    @Test
    void inputNormalizationFoldedIntoFirstLayer() {
        Sequential fp32 = Models.mlp(5);
        InputNormalization norm = new InputNormalization(0.1307, 0.3081);
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults(), norm);
        QuantModel.fakeQuant(model, false);
        INDArray x = images(6, 5);
        INDArray expected = forwardNoGrad(fp32, x.sub(0.1307).divi(0.3081));
        INDArray actual = forwardNoGrad(model, x);
        double maxDiff = Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(actual.sub(expected))).getDouble(0);
        assertTrue(maxDiff < 1e-4, "max difference " + maxDiff);
    }

    @Test
    void calibrationFreezesAndEnablesFakeQuant() {
        Sequential fp32 = Models.cnn(7);
        fp32.eval();
        Sequential model = Prepare.prepare(fp32, QuantConfig.defaults());
        model.eval();
        int batches = Ptq.calibrate(model, List.of(images(8, 4), images(9, 4)));
        assertEquals(2, batches);
        assertFalse(model.isTraining());
        for (FakeQuantize q : QuantModel.quantizers(model)) {
            assertTrue(q.isInitialized(), q.name());
            assertFalse(q.isObserverEnabled(), q.name());
            assertTrue(q.isFakeQuantEnabled(), q.name());
        }
        // ReLU outputs on the unsigned grid get z = 0.
        assertEquals(0, QuantModel.quantizer(model, "0.output").params().zeroPoint(0));

        // Per output channel weight scales are max |w_c| / 127.
        QuantLayer first = QuantModel.layers(model).get(0);
        INDArray w = first.weight().value();
        QuantParams p = first.weightQuantizer().params();
        for (int c = 0; c < 16; c++) {
            double amax = w.slice(c).amaxNumber().doubleValue();
            assertEquals((float) (amax / 127), p.scale(c), 0.0, "channel " + c);
        }

        // 8-bit fake quantization stays close to FP32.
        INDArray x = images(10, 4);
        INDArray quantized = forwardNoGrad(model, x);
        QuantModel.fakeQuant(model, false);
        INDArray reference = forwardNoGrad(model, x);
        double scale = reference.amaxNumber().doubleValue();
        double maxDiff = Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(quantized.sub(reference))).getDouble(0);
        assertTrue(maxDiff < 0.05 * scale, "max difference " + maxDiff + " for outputs up to " + scale);
    }

    @Test
    void emptyCalibrationRejected() {
        Sequential model = Prepare.prepare(Models.mlp(1), QuantConfig.defaults());
        assertThrows(IllegalArgumentException.class, () -> Ptq.calibrate(model, List.of()));
    }

    @Test
    void unsupportedModulesRejected() {
        Sequential lonelyNorm = new Sequential(new BatchNorm2d(1), new Flatten(), new Linear(784, 10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Prepare.prepare(lonelyNorm, QuantConfig.defaults()));
        assertTrue(e.getMessage().contains("index 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Prepare.prepare(new Sequential(new Flatten()), QuantConfig.defaults()));
    }

    @Test
    void quantizerParametersSeparateFromWeights() {
        Sequential model = Prepare.prepare(Models.mlp(2), QuantConfig.defaults().withLearning(true, true));
        List<Tensor> quantizer = Qat.quantizerParameters(model);
        List<Tensor> weights = Qat.weightParameters(model);
        // Three weight scales, two activation scales and two activation zero points (weights are symmetric).
        assertEquals(7, quantizer.size());
        assertEquals(6, weights.size());
        assertEquals(model.parameters().size(), quantizer.size() + weights.size());
        for (Tensor t : quantizer) {
            assertFalse(weights.contains(t));
        }
    }

    @Test
    void qatStartTrainingKeepsLearnedQuantizersFrozen() {
        Sequential model = Prepare.prepare(Models.mlp(2), QuantConfig.defaults().withLearning(true, false));
        Ptq.calibrate(model, List.of(images(3, 4)));
        Qat.startTraining(model, true);
        for (FakeQuantize q : QuantModel.quantizers(model)) {
            assertFalse(q.isObserverEnabled(), q.name());
        }
        Sequential observed = Prepare.prepare(Models.mlp(2), QuantConfig.defaults());
        Ptq.calibrate(observed, List.of(images(3, 4)));
        Qat.startTraining(observed, true);
        assertTrue(QuantModel.quantizer(observed, "1.output").isObserverEnabled());
        assertFalse(QuantModel.quantizer(observed, "input").isObserverEnabled());
        assertInstanceOf(QuantLinear.class, QuantModel.layers(observed).get(0));
    }

    @Test
    void doublePrecisionModelMatchesFloat() {
        Sequential model = Prepare.prepare(Models.cnn(11), QuantConfig.defaults().withBits(4, 4));
        Ptq.calibrate(model, List.of(images(12, 4)));
        INDArray x = images(13, 2);
        INDArray single = forwardNoGrad(model, x);
        model.to(DataType.DOUBLE);
        INDArray dbl = forwardNoGrad(model, x.castTo(DataType.DOUBLE));
        assertEquals(DataType.DOUBLE, dbl.dataType());
        double maxDiff = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(
                dbl.sub(single.castTo(DataType.DOUBLE)))).getDouble(0);
        // Float and double differ only where a value lands within rounding noise of a grid midpoint.
        assertTrue(maxDiff < 0.05 * single.amaxNumber().doubleValue(), "max difference " + maxDiff);
        assertTrue(QuantModel.quantizer(model, "0.output").isInitialized());
    }
}
