package org.qat4j.qat;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.nn.BatchNorm2d;
import org.qat4j.autograd.nn.Conv2d;
import org.qat4j.autograd.nn.Flatten;
import org.qat4j.autograd.nn.Linear;
import org.qat4j.autograd.nn.MaxPool2d;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a new quantized {@link Sequential} from an FP32 one; the FP32 model is not changed.
 *
 * <ul>
 *   <li>The network input is quantized by a fixed 8-bit unsigned quantizer with {@code s = 1/255},
 *       {@code z = 0}: the quantized model reads pixels / 255 in [0, 1], and an input normalisation the
 *       FP32 model was trained with is folded into the first layer (see {@link InputNormalization}).</li>
 *   <li>Each {@code Conv2d} followed by {@code BatchNorm2d} becomes one {@link QuantConv2d} with the batch
 *       norm folded in ({@link BatchNormFolding}); each {@code Linear} becomes a {@link QuantLinear}. Both
 *       get a weight quantizer, per output channel (axis 0) when {@link QuantConfig#perChannel()} is set.</li>
 *   <li>After every such layer but the last, an output quantizer; when a ReLU follows the layer, the
 *       quantizer goes after the ReLU, on an unsigned grid, so the integer engine turns ReLU into a clamp.
 *       The last layer has none: the integer engine takes the class from its int32 accumulators, each
 *       scaled by its channel's weight scale, because with per-channel scales the raw accumulators are not
 *       comparable.</li>
 *   <li>MaxPool2d, Flatten and a ReLU that does not follow a layer keep their input's quantization.</li>
 * </ul>
 * Quantizers are named after the FP32 module index: {@code "input"}, {@code "0.weight"}, {@code "0.output"}.
 */
public final class Prepare {

    private static final Logger LOG = LoggerFactory.getLogger(Prepare.class);

    /** Scale of the network input quantizer: pixels are bytes, scaled to [0, 1]. */
    public static final double INPUT_SCALE = (float) (1.0 / 255);

    private Prepare() {
    }

    public static Sequential prepare(Sequential fp32, QuantConfig config) {
        return prepare(fp32, config, null);
    }

    /**
     * Builds the quantized model.
     *
     * @param normalization the input normalisation the FP32 model was trained with, folded into the first
     *                      layer, or null when it was trained on inputs in [0, 1]
     */
    public static Sequential prepare(Sequential fp32, QuantConfig config, InputNormalization normalization) {
        List<Module> modules = fp32.modules();
        int lastLayer = lastLayerIndex(modules);

        Sequential quantized = new Sequential();
        QuantSpec inputSpec = QuantSpec.perTensor(QuantGrid.unsigned(QuantConfig.INPUT_BITS), QuantScheme.ASYMMETRIC);
        FakeQuantize current = FakeQuantize.fixed("input", FakeQuantize.Role.ACTIVATION, inputSpec,
                QuantParams.perTensor(inputSpec.grid(), INPUT_SCALE, 0));
        quantized.add(current);
        InputNormalization pendingNormalization = normalization;

        int i = 0;
        while (i < modules.size()) {
            Module module = modules.get(i);
            if (module instanceof Conv2d || module instanceof Linear) {
                int next = i + 1;
                BatchNormFolding.Folded folded;
                if (module instanceof Conv2d conv && next < modules.size() && modules.get(next) instanceof BatchNorm2d bn) {
                    folded = BatchNormFolding.fold(conv, bn);
                    next++;
                } else {
                    folded = unfolded(module);
                }
                if (pendingNormalization != null) {
                    warnIfPadded(module, pendingNormalization);
                    folded = pendingNormalization.foldInto(folded.weight(), folded.bias());
                    pendingNormalization = null;
                }
                QuantLayer layer = quantLayer(Integer.toString(i), module, folded, config);
                quantized.add((Module) layer);

                boolean relu = next < modules.size() && modules.get(next) instanceof ReLU;
                if (relu) {
                    quantized.add(new ReLU());
                    next++;
                }
                FakeQuantize output = null;
                if (i != lastLayer) {
                    output = activationQuantizer(i + ".output", config, relu);
                    quantized.add(output);
                }
                layer.link(current, output, relu);
                if (output != null) {
                    current = output;
                }
                i = next;
            } else {
                quantized.add(copyShapeModule(module, i));
                i++;
            }
        }
        LOG.info("Prepared quantized model with {}: {}", config, quantized);
        return quantized;
    }

    private static int lastLayerIndex(List<Module> modules) {
        int last = -1;
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) instanceof Conv2d || modules.get(i) instanceof Linear) {
                last = i;
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("The model has no Linear or Conv2d layer to quantize.");
        }
        return last;
    }

    private static BatchNormFolding.Folded unfolded(Module module) {
        if (module instanceof Conv2d conv) {
            INDArray w = conv.weight().value();
            INDArray b = conv.bias() == null ? Nd4j.zeros(w.dataType(), w.size(0)) : conv.bias().value();
            return new BatchNormFolding.Folded(w.dup('c'), b.dup('c'));
        }
        Linear linear = (Linear) module;
        return new BatchNormFolding.Folded(linear.weight().value().dup('c'), linear.bias().value().dup('c'));
    }

    private static void warnIfPadded(Module module, InputNormalization normalization) {
        if (module instanceof Conv2d conv && conv.padding() > 0 && normalization.mean() != 0) {
            // NOTE: zero padding of the normalised input stands for x = mean, but after folding the padding
            // stands for x = 0, so border outputs shift. Calibration and QAT see the folded model.
            LOG.info("Folding the input normalisation (mean {}) into a padded first convolution: padded pixels"
                    + " now stand for input 0 instead of the mean, which changes border outputs slightly.",
                    normalization.mean());
        }
    }

    private static QuantLayer quantLayer(String name, Module module, BatchNormFolding.Folded folded, QuantConfig config) {
        int outChannels = (int) folded.weight().size(0);
        FakeQuantize weightQuantizer = weightQuantizer(name + ".weight", config, outChannels);
        if (module instanceof Conv2d conv) {
            return new QuantConv2d(name, folded.weight(), folded.bias(), conv.stride(), conv.padding(), weightQuantizer);
        }
        return new QuantLinear(name, folded.weight(), folded.bias(), weightQuantizer);
    }

    static FakeQuantize weightQuantizer(String name, QuantConfig config, int outChannels) {
        QuantSpec spec = config.weightSpec();
        RangeEstimator estimator = config.weightEstimator().create(spec, config.runningMomentum(), config.percentile());
        boolean learnOffset = config.learnOffset() && spec.scheme() == QuantScheme.ASYMMETRIC;
        return new FakeQuantize(name, FakeQuantize.Role.WEIGHT, estimator, spec.perChannel() ? outChannels : 1,
                config.learnScale(), learnOffset);
    }

    static FakeQuantize activationQuantizer(String name, QuantConfig config, boolean afterRelu) {
        QuantSpec spec = config.activationSpec(afterRelu);
        RangeEstimator estimator = config.activationEstimator().create(spec, config.runningMomentum(), config.percentile());
        boolean learnOffset = config.learnOffset() && spec.scheme() == QuantScheme.ASYMMETRIC;
        return new FakeQuantize(name, FakeQuantize.Role.ACTIVATION, estimator, 1, config.learnScale(), learnOffset);
    }

    private static Module copyShapeModule(Module module, int index) {
        if (module instanceof MaxPool2d pool) {
            return new MaxPool2d(pool.kernel(), pool.stride());
        }
        if (module instanceof Flatten) {
            return new Flatten();
        }
        if (module instanceof ReLU) {
            return new ReLU();
        }
        if (module instanceof BatchNorm2d) {
            throw new IllegalArgumentException("BatchNorm2d at index " + index + " does not follow a Conv2d: only a"
                    + " batch norm right after a convolution can be folded.");
        }
        throw new IllegalArgumentException("Module " + module + " at index " + index + " is not supported by"
                + " quantization: use Linear, Conv2d, BatchNorm2d after Conv2d, ReLU, MaxPool2d and Flatten.");
    }
}
