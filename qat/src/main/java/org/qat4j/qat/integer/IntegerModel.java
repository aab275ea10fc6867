package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An integer-only network: the input quantization (for MNIST, raw pixel bytes with
 * {@code s = 1/255}, {@code z = 0}) and a list of integer layers. Every layer but the last
 * outputs requantized bytes; the last is a weighted layer that outputs int32 accumulators, from
 * which the predicted class follows (see {@link IntegerWeightedLayer#score}).
 *
 * <p>Construction checks that the layers fit together: each layer's input shape is the previous
 * output shape, and each weighted layer's input quantization (bit width, zero point, scale) is
 * the quantization its input was requantized to. Max pooling and flatten pass it through.
 */
public final class IntegerModel {

    private final int[] inputShape;
    private final ActivationQuantization input;
    private final List<IntegerLayer> layers;

    public IntegerModel(int[] inputShape, ActivationQuantization input, List<IntegerLayer> layers) {
        this.inputShape = inputShape.clone();
        this.input = input;
        this.layers = List.copyOf(layers);
        validate();
    }

    private void validate() {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("An integer model needs at least one layer.");
        }
        Set<String> names = new HashSet<>();
        int[] shape = inputShape;
        ActivationQuantization current = input;
        for (int i = 0; i < layers.size(); i++) {
            IntegerLayer layer = layers.get(i);
            String where = "Layer " + i + " (" + layer.name() + ")";
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException(where + ": the name is used by an earlier layer; layer names must be unique.");
            }
            if (!Arrays.equals(shape, layer.inputShape())) {
                throw new IllegalArgumentException(where + ": expects input shape " + Arrays.toString(layer.inputShape())
                        + " but the previous layer outputs " + Arrays.toString(shape) + ".");
            }
            boolean last = i == layers.size() - 1;
            if (layer instanceof IntegerWeightedLayer weighted) {
                if (!weighted.input().equals(current)) {
                    throw new IllegalArgumentException(where + ": expects input quantization " + weighted.input()
                            + " but its input is quantized as " + current + ".");
                }
                if (weighted.producesAccumulators() != last) {
                    throw new IllegalArgumentException(where + (last
                            ? ": the last layer must output int32 accumulators (no requantizer)."
                            : ": only the last layer may output int32 accumulators; this one needs a requantizer."));
                }
                if (last && weighted.outputSize() != weighted.outChannels()) {
                    throw new IllegalArgumentException(where + ": the last layer must output one value per class, but "
                            + "it outputs " + weighted.outputSize() + " values for " + weighted.outChannels()
                            + " channels; use a linear layer or a convolution with a 1x1 output.");
                }
                if (!last) {
                    current = weighted.requantizer().output();
                }
            } else if (last) {
                throw new IllegalArgumentException(where + ": the last layer must be a linear or convolution layer "
                        + "that outputs int32 accumulators.");
            }
            shape = layer.outputShape();
        }
    }

    /** Shape of one input sample, e.g. {@code [1, 28, 28]}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Number of input bytes per sample. */
    public int inputSize() {
        return IntegerLayer.product(inputShape);
    }

    /** Quantization of the input bytes. */
    public ActivationQuantization input() {
        return input;
    }

    /** The layers in order (unmodifiable). */
    public List<IntegerLayer> layers() {
        return layers;
    }

    /** Number of classes: the last layer's output size. */
    public int classCount() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** One line per layer, for logs and the command line. */
    public String summary() {
        List<String> lines = new ArrayList<>();
        lines.add("input " + Arrays.toString(inputShape) + " " + input);
        for (IntegerLayer layer : layers) {
            lines.add(layer.toString());
        }
        return String.join(System.lineSeparator(), lines);
    }
}
