package org.qat4j.experiments.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test accuracy against bit-width configuration, one panel per model placed side by side.
 *
 * <p>The x axis is categorical: one tick per configuration, labelled {@code W<weight bits>A<activation bits>}
 * and ordered by weight bits, then activation bits. So W4A8 sits between W4A4 and W6A6 and is
 * not forced onto a numeric bit axis where it would collide with W4A4. FP32 accuracy is a
 * horizontal dashed line across the panel.
 */
public final class AccuracyVsBitsPlot {

    public static final String FILE_NAME = "accuracy_vs_bits.png";

    /**
     * One line or set of markers.
     *
     * @param accuracies test accuracy in percent per configuration of the panel, null where there is no run
     * @param markersOnly draw markers without a connecting line (used for integer-engine accuracy)
     */
    public record Series(String name, List<Double> accuracies, boolean markersOnly, Color color) {
        public Series {
            Objects.requireNonNull(name, "name");
            accuracies = Collections.unmodifiableList(new ArrayList<>(accuracies));
            Objects.requireNonNull(color, "color");
        }
    }

    /**
     * One model.
     *
     * @param fp32ControlAccuracy FP32 trained for the same extra epochs as QAT; null when not run
     * @param configs configuration labels in x-axis order
     */
    public record Panel(String model, double fp32Accuracy, Double fp32ControlAccuracy, List<String> configs,
            List<Series> series) {
        public Panel {
            configs = List.copyOf(configs);
            series = List.copyOf(series);
            if (configs.isEmpty()) {
                throw new IllegalArgumentException("Model " + model + " has no bit-width configurations to plot");
            }
            for (Series line : series) {
                if (line.accuracies().size() != configs.size()) {
                    throw new IllegalArgumentException("Series " + line.name() + " has " + line.accuracies().size()
                            + " values for " + configs.size() + " configurations");
                }
            }
        }
    }

    private AccuracyVsBitsPlot() {
    }

    /** Draws the panels side by side into one PNG file, {@code 800 * panels} by 500 pixels. */
    public static void write(List<Panel> panels, Path file) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("No models to plot in " + file);
        }
        List<BufferedImage> images = new ArrayList<>();
        for (Panel panel : panels) {
            images.add(ChartImages.render(chart(panel)));
        }
        ChartImages.writePng(ChartImages.sideBySide(images), file);
    }

    /**
     * Returns the lower end of the accuracy axis: the lowest plotted accuracy rounded down to a
     * multiple of 5, so the drop between configurations stays visible when all accuracies are high.
     */
    static double lowerAxisBound(Panel panel) {
        double lowest = panel.fp32Accuracy();
        for (Series line : panel.series()) {
            for (Double accuracy : line.accuracies()) {
                if (accuracy != null) {
                    lowest = Math.min(lowest, accuracy);
                }
            }
        }
        return Math.max(0.0, 5.0 * Math.floor((lowest - 0.5) / 5.0));
    }

    static CategoryChart chart(Panel panel) {
        CategoryChart chart = ChartImages.categoryChart(panel.model() + ": test accuracy against bit width",
                "bit widths (W = weights, A = activations)", "test accuracy (%)");
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        // All series share the category positions instead of being shifted apart like grouped bars.
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisMin(lowerAxisBound(panel));
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("0.#");

        List<String> configs = panel.configs();
        addHorizontal(chart, String.format(Locale.ROOT, "FP32 (%.2f%%)", panel.fp32Accuracy()),
                configs, panel.fp32Accuracy(), ChartImages.BLACK);
        if (panel.fp32ControlAccuracy() != null) {
            addHorizontal(chart, String.format(Locale.ROOT, "FP32 control (%.2f%%)",
                    panel.fp32ControlAccuracy()), configs, panel.fp32ControlAccuracy(), ChartImages.GRAY);
        }
        Marker[] lineMarkers = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP};
        Marker[] pointMarkers = {SeriesMarkers.DIAMOND, SeriesMarkers.CROSS, SeriesMarkers.TRIANGLE_DOWN};
        int lines = 0;
        int points = 0;
        for (Series line : panel.series()) {
            if (line.accuracies().stream().allMatch(Objects::isNull)) {
                continue;
            }
            CategorySeries series = chart.addSeries(line.name(), configs, line.accuracies());
            series.setLineColor(line.color());
            series.setMarkerColor(line.color());
            if (line.markersOnly()) {
                series.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                series.setMarker(pointMarkers[points++ % pointMarkers.length]);
            } else {
                series.setMarker(lineMarkers[lines++ % lineMarkers.length]);
            }
        }
        return chart;
    }

    private static void addHorizontal(CategoryChart chart, String name, List<String> configs, double value, Color color) {
        List<Double> values = Collections.nCopies(configs.size(), value);
        CategorySeries series = chart.addSeries(name, configs, values);
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        series.setMarker(SeriesMarkers.NONE);
    }
}
