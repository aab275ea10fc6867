package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.nn.Flatten;
import org.qat4j.autograd.nn.MaxPool2d;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.nn.ReLU;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.qat.FakeQuantize;
import org.qat4j.qat.QuantConv2d;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantLayer;
import org.qat4j.qat.QuantLinear;
import org.qat4j.qat.QuantParams;
import org.qat4j.qat.Quantizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a frozen quantized {@link Sequential} into an {@link IntegerModel}.
 *
 * <p>For each quantized layer, with the scales and zero points read from its frozen quantizers:
 * <ul>
 *   <li>{@code W_int = clamp(round(W / s_w) + 0, qmin, qmax)} from the weight quantizer (symmetric,
 *       {@code z_w = 0}, per output channel or one scale for all channels);</li>
 *   <li>{@code bias_int[c] = round(b[c] / (s_w[c] * s_x))}, half to even, in int32;</li>
 *   <li>{@code M_c = s_w[c] * s_x / s_y} as a {@link FixedPointMultiplier}, with the output grid, zero point
 *       and ReLU clamp of the output quantizer. The last layer outputs int32 accumulators, from which
 *       the engine picks the class (see {@link IntegerWeightedLayer#score}); an output quantizer on it,
 *       if any, is not used.</li>
 * </ul>
 * Activation quantizers (standalone modules in the sequence), and ReLUs fused into the preceding
 * layer's output clamp, produce no integer layer. Max pooling and flatten are copied.
 *
 * <p>Export fails, naming the layer, when the integer engine cannot run the model exactly: a
 * quantizer that is still observing or has fake quantization disabled, weights that are not
 * symmetric or wider than 8 bits, activations on a signed grid or wider than 8 bits, a
 * bias that does not fit in int32, an accumulator that could overflow int32, or a multiplier out of range.
 */
public final class Exporter {

    private static final Logger log = LoggerFactory.getLogger(Exporter.class);

    private Exporter() {
    }

    /**
     * Exports {@code quantized}, whose input samples have shape {@code inputShape} (for MNIST
     * {@code [1, 28, 28]}), to an integer model that reads the input bytes directly.
     */
    public static IntegerModel export(Sequential quantized, int[] inputShape) {
        List<IntegerLayer> layers = new ArrayList<>();
        int[] shape = inputShape.clone();
        ActivationQuantization modelInput = null;
        QuantLayer previous = null;
        int pools = 0;
        int flattens = 0;

        List<Module> modules = quantized.modules();
        for (int i = 0; i < modules.size(); i++) {
            Module module = modules.get(i);
            IntegerLayer layer;
            if (module instanceof FakeQuantize) {
                continue;
            } else if (module instanceof ReLU) {
                if (previous == null || !previous.reluFused()) {
                    throw new IllegalArgumentException("Module " + i + " (ReLU) does not follow a quantized layer that "
                            + "fuses it; the integer engine applies ReLU only as the output clamp of a layer.");
                }
                continue;
            } else if (module instanceof QuantLayer quantLayer) {
                ActivationQuantization input = activation(quantLayer.inputQuantizer(), quantLayer.name(), "input");
                if (modelInput == null) {
                    modelInput = input;
                }
                layer = weightedLayer(quantLayer, shape, input, i == lastQuantLayerIndex(modules));
                previous = quantLayer;
            } else if (module instanceof MaxPool2d pool) {
                requireRank(shape, 3, "max pool (module " + i + ")");
                pools++;
                layer = new IntegerMaxPool2d("pool" + pools, shape[0], shape[1], shape[2], pool.kernel(), pool.stride());
            } else if (module instanceof Flatten) {
                flattens++;
                layer = new IntegerFlatten("flatten" + flattens, shape);
            } else {
                throw new IllegalArgumentException("Module " + i + " (" + module.getClass().getSimpleName()
                        + ") has no integer counterpart: export supports quantized linear and convolution layers, "
                        + "activation quantizers, fused ReLU, max pooling and flatten. Fold batch norm before export.");
            }
            layers.add(layer);
            shape = layer.outputShape();
        }
        if (modelInput == null) {
            throw new IllegalArgumentException("The model has no quantized layer to export; prepare it for quantization first.");
        }

        IntegerModel model = new IntegerModel(inputShape, modelInput, layers);
        log.info("Exported integer model: {} layers, {} bytes", layers.size(), ModelFile.sizeBytes(model));
        return model;
    }

    private static int lastQuantLayerIndex(List<Module> modules) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            if (modules.get(i) instanceof QuantLayer) {
                return i;
            }
        }
        return -1;
    }

    private static IntegerWeightedLayer weightedLayer(QuantLayer layer, int[] shape, ActivationQuantization input,
                                                      boolean last) {
        String name = layer.name();
        int outChannels = (int) layer.weight().value().size(0);
        double[] weightScales = weightScales(layer, outChannels);
        byte[] weights = integerWeights(layer);
        int[] bias = integerBias(layer, weightScales, input.scale());

        Requantizer requantizer = null;
        if (!last) {
            if (layer.outputQuantizer() == null) {
                throw new IllegalArgumentException(name + ": a layer before the last needs an output quantizer.");
            }
            ActivationQuantization output = activation(layer.outputQuantizer(), name, "output");
            QuantGrid grid = layer.outputQuantizer().grid();
            requantizer = new Requantizer(output, grid.qmin(), grid.qmax(), layer.reluFused(),
                    multipliers(name, weightScales, input.scale(), output.scale()));
        }

        if (layer instanceof QuantLinear linear) {
            requireRank(shape, 1, name);
            return new IntegerLinear(name, linear.inFeatures(), linear.outFeatures(), layer.weightQuantizer().grid().bitWidth(),
                    weights, weightScales, bias, input, requantizer);
        }
        if (layer instanceof QuantConv2d conv) {
            requireRank(shape, 3, name);
            return new IntegerConv2d(name, conv.inChannels(), shape[1], shape[2], conv.outChannels(), conv.kernelSize(),
                    conv.stride(), conv.padding(), layer.weightQuantizer().grid().bitWidth(), weights, weightScales,
                    bias, input, requantizer);
        }
        throw new IllegalArgumentException(name + ": unsupported quantized layer type " + layer.getClass().getSimpleName() + ".");
    }

    /**
     * Rejects a quantizer whose parameters can still change or that the float model skips, because
     * the integer model would then differ from the quantized model it came from.
     */
    static void requireFrozen(FakeQuantize quantizer, String layerName) {
        if (quantizer.isObserverEnabled()) {
            throw new IllegalArgumentException(layerName + ": quantizer " + quantizer.name() + " is still observing, so "
                    + "its scale can change; freeze the model's quantizers (calibrate, or freeze after training) "
                    + "before export.");
        }
        if (!quantizer.isFakeQuantEnabled()) {
            throw new IllegalArgumentException(layerName + ": quantizer " + quantizer.name() + " has fake quantization "
                    + "disabled, so the float model does not quantize there; enable it before export.");
        }
    }

    /** Returns {@code s_w[c]} per output channel; a per-tensor scale is repeated for every channel. */
    static double[] weightScales(QuantLayer layer, int outChannels) {
        FakeQuantize quantizer = layer.weightQuantizer();
        requireFrozen(quantizer, layer.name());
        QuantParams params = quantizer.params();
        QuantGrid grid = params.grid();
        if (!grid.isSigned() || grid.bitWidth() > 8) {
            throw new IllegalArgumentException(layer.name() + ": weights on grid " + grid + " cannot be exported: the "
                    + "integer engine needs signed weights of 2 to 8 bits (symmetric scheme).");
        }
        double[] scales = new double[outChannels];
        for (int c = 0; c < outChannels; c++) {
            int channel = params.channels() == 1 ? 0 : c;
            if (params.zeroPoint(channel) != 0) {
                throw new IllegalArgumentException(layer.name() + ": weight zero point " + params.zeroPoint(channel)
                        + " of channel " + c + " is not 0; the integer engine needs symmetric weights (z_w = 0).");
            }
            scales[c] = params.scale(channel);
        }
        if (params.channels() != 1 && params.channels() != outChannels) {
            throw new IllegalArgumentException(layer.name() + ": the weight quantizer has " + params.channels()
                    + " scales for " + outChannels + " output channels.");
        }
        return scales;
    }

    /** Returns {@code W_int} in the layer's weight layout, quantized exactly as the weight quantizer does. */
    static byte[] integerWeights(QuantLayer layer) {
        INDArray quantized = Quantizer.quantize(layer.weight().value(), layer.weightQuantizer().params(),
                layer.name() + ".weight");
        int[] values = quantized.dup('c').data().asInt();
        byte[] weights = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            weights[i] = (byte) values[i];
        }
        return weights;
    }

    /** Returns {@code bias_int[c] = round(b[c] / (s_w[c] * s_x))}, half to even; rejects values outside int32. */
    static int[] integerBias(QuantLayer layer, double[] weightScales, double inputScale) {
        double[] bias = layer.bias().value().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[] result = new int[bias.length];
        for (int c = 0; c < bias.length; c++) {
            double accumulatorScale = weightScales[c] * inputScale;
            double rounded = Math.rint(bias[c] / accumulatorScale);
            if (!(Math.abs(rounded) <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(layer.name() + ": bias " + bias[c] + " of channel " + c
                        + " is " + rounded + " in the accumulator scale s_w * s_x = " + accumulatorScale
                        + ", which does not fit in int32. The weight scale is too small for this bias; use more "
                        + "weight bits or a range estimator that does not shrink the weight range so far.");
            }
            result[c] = (int) rounded;
        }
        return result;
    }

    /** Returns {@code M_c = s_w[c] * s_x / s_y} per output channel as fixed-point multipliers. */
    static FixedPointMultiplier[] multipliers(String layerName, double[] weightScales, double inputScale,
                                              double outputScale) {
        FixedPointMultiplier[] result = new FixedPointMultiplier[weightScales.length];
        for (int c = 0; c < weightScales.length; c++) {
            result[c] = FixedPointMultiplier.forScales(weightScales[c], inputScale, outputScale, layerName);
        }
        return result;
    }

    /** Returns the quantization of an activation quantizer; it must be on an unsigned grid of 2 to 8 bits. */
    static ActivationQuantization activation(FakeQuantize quantizer, String layerName, String role) {
        if (quantizer == null) {
            throw new IllegalArgumentException(layerName + ": the layer has no " + role + " quantizer; prepare the "
                    + "model for quantization before export.");
        }
        requireFrozen(quantizer, layerName);
        QuantParams params = quantizer.params();
        QuantGrid grid = params.grid();
        if (grid.isSigned() || grid.bitWidth() > 8 || params.channels() != 1) {
            throw new IllegalArgumentException(layerName + ": " + role + " quantizer " + quantizer.name() + " uses "
                    + grid + (params.channels() != 1 ? " per channel" : "") + "; the integer engine needs per-tensor "
                    + "activations on an unsigned grid of 2 to 8 bits.");
        }
        return new ActivationQuantization(grid.bitWidth(), params.zeroPoint(0), params.scale(0));
    }

    private static void requireRank(int[] shape, int rank, String layerDescription) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(layerDescription + ": expects a sample of rank " + rank + " but receives shape "
                    + Arrays.toString(shape) + ".");
        }
    }
}
