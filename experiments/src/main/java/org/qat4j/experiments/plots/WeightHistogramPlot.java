package org.qat4j.experiments.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.experiments.results.LayerWeights;

/**
 * Histogram of one layer's weights with the quantization grid levels drawn as vertical lines,
 * showing how the weights fall onto the grid and which ones are clipped.
 */
public final class WeightHistogramPlot {

    public static final String FILE_NAME = "weight_histogram.png";
    public static final int DEFAULT_BINS = 120;

    private WeightHistogramPlot() {
    }

    /** Writes an 800 by 500 PNG file with {@code bins} equal-width bins spanning the weights and grid levels. */
    public static void write(LayerWeights layerWeights, int bins, Path file) throws IOException {
        ChartImages.writePng(chart(layerWeights, bins), file);
    }

    /**
     * Counts weights in {@code bins} equal-width bins over [low, high]; the last bin includes
     * {@code high}. Values outside the interval are not counted.
     */
    static long[] histogram(float[] values, double low, double high, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("Bin count " + bins + " must be at least 1");
        }
        long[] counts = new long[bins];
        double width = (high - low) / bins;
        for (float value : values) {
            if (value < low || value > high) {
                continue;
            }
            int bin = width > 0 ? (int) Math.floor((value - low) / width) : 0;
            counts[Math.min(bin, bins - 1)]++;
        }
        return counts;
    }

    static XYChart chart(LayerWeights layerWeights, int bins) {
        float[] weights = layerWeights.weights();
        double[] levels = layerWeights.gridLevels();
        double low = levels[0];
        double high = levels[levels.length - 1];
        for (float weight : weights) {
            low = Math.min(low, weight);
            high = Math.max(high, weight);
        }
        double margin = (high - low) * 0.02;
        low -= margin;
        high += margin;
        if (!(high > low)) {
            high = low + 1;
        }
        long[] counts = histogram(weights, low, high, bins);

        // A step line through (left edge, count) of every bin, closed at the right edge of the last bin.
        double width = (high - low) / bins;
        double[] x = new double[bins + 1];
        double[] y = new double[bins + 1];
        long maxCount = 1;
        for (int i = 0; i < bins; i++) {
            x[i] = low + i * width;
            y[i] = counts[i];
            maxCount = Math.max(maxCount, counts[i]);
        }
        x[bins] = high;
        y[bins] = counts[bins - 1];

        XYChart chart = ChartImages.xyChart(String.format(Locale.ROOT, "%s %s: weights and the %d-bit grid",
                layerWeights.model(), layerWeights.layer(), layerWeights.bits()), "weight value", "number of weights per bin");
        chart.getStyler().setXAxisMin(low);
        chart.getStyler().setXAxisMax(high);
        double yMax = Math.ceil(maxCount * 1.05);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(yMax);
        chart.getStyler().setYAxisDecimalPattern("0");

        XYSeries histogram = chart.addSeries(String.format(Locale.ROOT, "weights (%d)", weights.length), x, y);
        histogram.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        histogram.setLineColor(ChartImages.BLUE);
        histogram.setFillColor(new Color(31, 119, 180, 110));
        histogram.setMarker(SeriesMarkers.NONE);

        // Each level is a vertical series from 0 to yMax, so all lines have the same height. Only the
        // first one appears in the legend, where it names the grid.
        for (int i = 0; i < levels.length; i++) {
            String name = i == 0 ? String.format(Locale.ROOT, "grid levels (%d)", levels.length) : "grid level " + i;
            XYSeries grid = chart.addSeries(name, new double[] {levels[i], levels[i]}, new double[] {0, yMax});
            grid.setLineColor(ChartImages.RED);
            grid.setLineWidth(1f);
            grid.setLineStyle(SeriesLines.SOLID);
            grid.setMarker(SeriesMarkers.NONE);
            grid.setShowInLegend(i == 0);
        }
        return chart;
    }
}
