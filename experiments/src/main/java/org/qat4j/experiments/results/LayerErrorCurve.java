package org.qat4j.experiments.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.qat4j.qat.QuantError;

/**
 * Quantization error of one layer's weights as a function of the scale {@code s}, split into
 * clipping and rounding error, with markers at the scales that range estimators chose.
 *
 * <p>With a symmetric grid ({@code z = 0}) and {@code q = round(w / s)} (half to even), an element
 * is clipped when {@code q < qmin} or {@code q > qmax}. Its squared error
 * {@code (w - s * clamp(q, qmin, qmax))^2} counts as clipping error; that of every other element
 * counts as rounding error. Both are divided by the number of elements, so
 * {@code total = clipping + rounding} is the mean squared error of the quantized weights.
 *
 * @param model model the layer belongs to
 * @param layer name of the layer, for example {@code conv2}
 * @param bits bit width of the grid
 * @param points error at each scale, in increasing order of scale
 * @param markers scales chosen by range estimators, for example min-max and MSE
 */
public record LayerErrorCurve(String model, String layer, int bits, List<ErrorPoint> points, List<ScaleMarker> markers) {

    /** Mean squared errors at one scale. */
    public record ErrorPoint(double scale, double clippingMse, double roundingMse, double totalMse) {
        public ErrorPoint {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("Scale " + scale + " must be a finite number above 0");
            }
            requireError("clipping_mse", clippingMse);
            requireError("rounding_mse", roundingMse);
            requireError("total_mse", totalMse);
        }
    }

    /** A scale chosen by a range estimator, named for the plot legend (for example {@code min-max}). */
    public record ScaleMarker(String name, double scale) {
        public ScaleMarker {
            RunRecord.requireName("marker", name);
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("Marker scale " + scale + " must be a finite number above 0");
            }
        }
    }

    public LayerErrorCurve {
        RunRecord.requireName("model", model);
        RunRecord.requireName("layer", layer);
        RunRecord.requireBits("bits", bits);
        points = List.copyOf(points);
        markers = List.copyOf(markers);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("The error curve of " + layer + " has no points");
        }
        for (int i = 1; i < points.size(); i++) {
            if (!(points.get(i).scale() > points.get(i - 1).scale())) {
                throw new IllegalArgumentException("Scales must increase, but " + points.get(i).scale() + " follows "
                        + points.get(i - 1).scale());
            }
        }
    }

    /**
     * Computes the error curve of {@code weights} on the symmetric grid {@code [qmin, qmax]} at each
     * of {@code scales}. One scale applies to all weights, as in per-tensor quantization. For a
     * per-channel layer, pass the weights of one output channel.
     */
    public static LayerErrorCurve compute(String model, String layer, int bits, float[] weights, int qmin, int qmax,
            double[] scales, List<ScaleMarker> markers) {
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) {
            throw new IllegalArgumentException("Layer " + layer + " has no weights");
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("qmin " + qmin + " must be less than qmax " + qmax);
        }
        double[] values = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            values[i] = weights[i];
        }
        List<ErrorPoint> points = new ArrayList<>(scales.length);
        for (double scale : scales) {
            QuantError error = QuantError.of(values, qmin, qmax, scale, 0);
            points.add(new ErrorPoint(scale, error.clippingError(), error.roundingError(), error.total()));
        }
        return new LayerErrorCurve(model, layer, bits, points, markers);
    }

    private static void requireError(String column, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(column + " " + value + " must be a finite number of 0 or more");
        }
    }
}
