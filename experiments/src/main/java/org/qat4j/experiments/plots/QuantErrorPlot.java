package org.qat4j.experiments.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.experiments.results.LayerErrorCurve;

/**
 * Quantization error of one layer's weights against the scale {@code s}: clipping error,
 * rounding error and their sum, with a vertical line at each scale chosen by a range estimator.
 * A small {@code s} rounds finely but clips much; a large {@code s} clips little but rounds
 * coarsely.
 */
public final class QuantErrorPlot {

    public static final String FILE_NAME = "quant_error_vs_scale.png";

    /** The y axis shows at most this multiple of the smallest total error, so the minimum stays visible. */
    static final double Y_RANGE_OVER_MINIMUM = 8;

    private static final List<Color> MARKER_COLORS = List.of(ChartImages.RED, ChartImages.PURPLE, ChartImages.BROWN,
            ChartImages.GRAY);

    private QuantErrorPlot() {
    }

    /** Writes an 800 by 500 PNG file. */
    public static void write(LayerErrorCurve curve, Path file) throws IOException {
        ChartImages.writePng(chart(curve), file);
    }

    static XYChart chart(LayerErrorCurve curve) {
        XYChart chart = ChartImages.xyChart(String.format(Locale.ROOT, "%s %s weights: %d-bit quantization error against scale",
                curve.model(), curve.layer(), curve.bits()), "scale s (weight units per integer step)",
                "mean squared error (weight units squared)");
        chart.getStyler().setXAxisDecimalPattern("0.####");
        chart.getStyler().setYAxisDecimalPattern("0.0E0");

        List<LayerErrorCurve.ErrorPoint> points = curve.points();
        double[] scales = new double[points.size()];
        double[] clipping = new double[points.size()];
        double[] rounding = new double[points.size()];
        double[] total = new double[points.size()];
        double minimumTotal = Double.POSITIVE_INFINITY;
        double maximumTotal = 0;
        for (int i = 0; i < points.size(); i++) {
            scales[i] = points.get(i).scale();
            clipping[i] = points.get(i).clippingMse();
            rounding[i] = points.get(i).roundingMse();
            total[i] = points.get(i).totalMse();
            minimumTotal = Math.min(minimumTotal, total[i]);
            maximumTotal = Math.max(maximumTotal, total[i]);
        }
        double yMax = minimumTotal > 0 ? Math.min(maximumTotal, Y_RANGE_OVER_MINIMUM * minimumTotal) : maximumTotal;
        if (!(yMax > 0)) {
            yMax = 1;
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(yMax);
        chart.getStyler().setXAxisMin(scales[0]);
        chart.getStyler().setXAxisMax(scales[scales.length - 1]);

        addLine(chart, "clipping error", scales, clipping, ChartImages.ORANGE, false);
        addLine(chart, "rounding error", scales, rounding, ChartImages.GREEN, false);
        addLine(chart, "total error", scales, total, ChartImages.BLUE, false);
        int markerIndex = 0;
        for (LayerErrorCurve.ScaleMarker marker : curve.markers()) {
            String name = String.format(Locale.ROOT, "%s: s = %.4g", marker.name(), marker.scale());
            addLine(chart, name, new double[] {marker.scale(), marker.scale()}, new double[] {0, yMax},
                    MARKER_COLORS.get(markerIndex++ % MARKER_COLORS.size()), true);
        }
        return chart;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarker(SeriesMarkers.NONE);
        if (dashed) {
            series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
    }
}
