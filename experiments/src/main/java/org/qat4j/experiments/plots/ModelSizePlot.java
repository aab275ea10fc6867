package org.qat4j.experiments.plots;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/** Model size in bytes per storage format (for example FP32, int8, 4-bit), one group of bars per model. */
public final class ModelSizePlot {

    public static final String FILE_NAME = "model_size.png";

    /** Size of one model in one format. */
    public record ModelSize(String model, String format, long bytes) {
        public ModelSize {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(format, "format");
            if (bytes < 0) {
                throw new IllegalArgumentException("Size " + bytes + " of " + model + " " + format + " is negative");
            }
        }
    }

    private ModelSizePlot() {
    }

    /**
     * Writes one 800 by 500 panel per model, side by side, so a small model's bars are not flattened
     * by a large model's. Models and formats appear in the order of first appearance; a format
     * missing for a model is drawn as a bar of height 0.
     */
    public static void write(List<ModelSize> sizes, Path file) throws IOException {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("No model sizes to plot in " + file);
        }
        Set<String> models = new LinkedHashSet<>();
        Set<String> formats = new LinkedHashSet<>();
        for (ModelSize size : sizes) {
            models.add(size.model());
            formats.add(size.format());
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (String model : models) {
            panels.add(ChartImages.render(chart(model, new ArrayList<>(formats), sizes)));
        }
        ChartImages.writePng(ChartImages.sideBySide(panels), file);
    }

    static CategoryChart chart(String model, List<String> formats, List<ModelSize> sizes) {
        CategoryChart chart = ChartImages.categoryChart(model + ": model size by storage format", "storage format",
                "size (bytes)");
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(0.9);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendVisible(false);

        int colorIndex = 0;
        for (String format : formats) {
            // Each format is its own series, so it gets its own color; its other categories stay empty.
            List<Long> bytes = new ArrayList<>();
            for (String category : formats) {
                Long value = category.equals(format) ? 0L : null;
                for (ModelSize size : sizes) {
                    if (category.equals(format) && size.model().equals(model) && size.format().equals(format)) {
                        value = size.bytes();
                    }
                }
                bytes.add(value);
            }
            CategorySeries series = chart.addSeries(format, formats, bytes);
            Color color = ChartImages.CYCLE.get(colorIndex++ % ChartImages.CYCLE.size());
            series.setFillColor(color);
        }
        return chart;
    }
}
