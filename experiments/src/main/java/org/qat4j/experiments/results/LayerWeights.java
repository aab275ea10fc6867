package org.qat4j.experiments.results;

import java.util.Arrays;
import java.util.Objects;

/**
 * The weights of one layer and the levels {@code s * q} of the grid they are quantized to, for a
 * histogram with the grid drawn on it. For per-channel quantization the levels belong to one
 * channel's scale, and the layer name should then name the channel (for example {@code conv2 channel 0}).
 */
public final class LayerWeights {

    private final String model;
    private final String layer;
    private final int bits;
    private final float[] weights;
    private final double[] gridLevels;

    /**
     * @param weights weight values, at least one, all finite
     * @param gridLevels grid levels in increasing order, at least one
     */
    public LayerWeights(String model, String layer, int bits, float[] weights, double[] gridLevels) {
        RunRecord.requireName("model", model);
        RunRecord.requireName("layer", layer);
        RunRecord.requireBits("bits", bits);
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(gridLevels, "gridLevels");
        if (weights.length == 0) {
            throw new IllegalArgumentException("Layer " + layer + " has no weights");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException("Weight " + i + " of " + layer + " is " + weights[i] + ", not a finite number");
            }
        }
        if (gridLevels.length == 0) {
            throw new IllegalArgumentException("Layer " + layer + " has no grid levels");
        }
        for (int i = 0; i < gridLevels.length; i++) {
            if (!Double.isFinite(gridLevels[i]) || (i > 0 && !(gridLevels[i] > gridLevels[i - 1]))) {
                throw new IllegalArgumentException("Grid levels must be finite and increasing, but level " + i + " is "
                        + gridLevels[i]);
            }
        }
        this.model = model;
        this.layer = layer;
        this.bits = bits;
        this.weights = weights.clone();
        this.gridLevels = gridLevels.clone();
    }

    /** Levels {@code s * q} for {@code q = qmin .. qmax}. */
    public static double[] gridLevels(double scale, int qmin, int qmax) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Scale " + scale + " must be a finite number above 0");
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("qmin " + qmin + " must be less than qmax " + qmax);
        }
        double[] levels = new double[qmax - qmin + 1];
        for (int q = qmin; q <= qmax; q++) {
            levels[q - qmin] = scale * q;
        }
        return levels;
    }

    public String model() {
        return model;
    }

    public String layer() {
        return layer;
    }

    public int bits() {
        return bits;
    }

    public float[] weights() {
        return weights.clone();
    }

    public double[] gridLevels() {
        return gridLevels.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerWeights that && model.equals(that.model) && layer.equals(that.layer)
                && bits == that.bits && Arrays.equals(weights, that.weights) && Arrays.equals(gridLevels, that.gridLevels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, layer, bits, Arrays.hashCode(weights), Arrays.hashCode(gridLevels));
    }

    @Override
    public String toString() {
        return "LayerWeights[" + model + " " + layer + ", " + bits + " bits, " + weights.length + " weights, "
                + gridLevels.length + " grid levels]";
    }
}
