package org.qat4j.experiments.plots;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Test accuracy per epoch of training, one line per run, one panel per model placed side by side. */
public final class TrainingCurvesPlot {

    public static final String FILE_NAME = "training_curves.png";

    /**
     * One run's curve.
     *
     * @param label legend entry, for example {@code W4A4}
     * @param epochs epoch numbers in increasing order
     * @param testAccuracy test accuracy in percent after each epoch
     */
    public record Curve(String label, int[] epochs, double[] testAccuracy) {
        public Curve {
            Objects.requireNonNull(label, "label");
            if (epochs.length != testAccuracy.length || epochs.length == 0) {
                throw new IllegalArgumentException("Curve " + label + " needs as many accuracies as epochs (at least one), found "
                        + epochs.length + " epochs and " + testAccuracy.length + " accuracies");
            }
            epochs = epochs.clone();
            testAccuracy = testAccuracy.clone();
        }
    }

    /** One model's panel, with a {@code title} that names the runs shown (for example "QAT at each bit width"). */
    public record Panel(String model, String title, List<Curve> curves) {
        public Panel {
            curves = List.copyOf(curves);
            if (curves.isEmpty()) {
                throw new IllegalArgumentException("Model " + model + " has no training curves to plot");
            }
        }
    }

    private TrainingCurvesPlot() {
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

    static XYChart chart(Panel panel) {
        XYChart chart = ChartImages.xyChart(panel.model() + ": " + panel.title(), "epoch", "test accuracy (%)");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.#");

        int colorIndex = 0;
        for (Curve curve : panel.curves()) {
            double[] epochs = new double[curve.epochs().length];
            for (int i = 0; i < epochs.length; i++) {
                epochs[i] = curve.epochs()[i];
            }
            XYSeries series = chart.addSeries(curve.label(), epochs, curve.testAccuracy());
            Color color = ChartImages.CYCLE.get(colorIndex++ % ChartImages.CYCLE.size());
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
