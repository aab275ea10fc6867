package org.qat4j.experiments.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.qat4j.experiments.results.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared look of the charts and the writing of PNG files: one chart is {@link #WIDTH} by
 * {@link #HEIGHT} pixels, panels are placed side by side, and files are replaced atomically.
 * Rendering uses fixed sizes, fonts and colors, so the same data gives the same pixels.
 */
final class ChartImages {

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    static final Color BLUE = new Color(31, 119, 180);
    static final Color ORANGE = new Color(255, 127, 14);
    static final Color GREEN = new Color(44, 160, 44);
    static final Color RED = new Color(214, 39, 40);
    static final Color PURPLE = new Color(148, 103, 189);
    static final Color BROWN = new Color(140, 86, 75);
    static final Color GRAY = new Color(127, 127, 127);
    static final Color BLACK = Color.BLACK;
    /** Colors for series without a meaning of their own, in order. */
    static final List<Color> CYCLE = List.of(BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, GRAY,
            new Color(227, 119, 194), new Color(188, 189, 34), new Color(23, 190, 207));

    private static final Logger log = LoggerFactory.getLogger(ChartImages.class);

    static {
        // Charts are drawn off screen, also on machines without a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartImages() {
    }

    /** Creates an XY chart of the common size and style, with the legend right of the plot. */
    static XYChart xyChart(String title, String xAxisTitle, String yAxisTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxisTitle)
                .yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
        legendOutside(chart.getStyler());
        return chart;
    }

    /** Creates a category chart of the common size and style, with the legend right of the plot. */
    static CategoryChart categoryChart(String title, String xAxisTitle, String yAxisTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxisTitle)
                .yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
        legendOutside(chart.getStyler());
        return chart;
    }

    /** Applies the common style: white background, light grid, readable fonts. */
    static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setPlotBorderColor(GRAY);
        styler.setLegendBorderColor(GRAY);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
    }

    /** Moves the legend right of the plot, one entry per line, so it covers no data. */
    static void legendOutside(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(Styler.LegendLayout.Vertical);
    }

    static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Places images left to right on a white background as tall as the tallest. */
    static BufferedImage sideBySide(List<BufferedImage> panels) {
        int width = panels.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage combined = new BufferedImage(Math.max(width, 1), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = combined.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, combined.getWidth(), height);
            int x = 0;
            for (BufferedImage panel : panels) {
                graphics.drawImage(panel, x, 0, null);
                x += panel.getWidth();
            }
        } finally {
            graphics.dispose();
        }
        return combined;
    }

    /** Encodes {@code image} as PNG and replaces {@code file} atomically. */
    static void writePng(BufferedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("No PNG encoder is available in this Java runtime");
        }
        AtomicFiles.write(file, bytes.toByteArray());
        log.info("Wrote {} ({}x{} pixels)", file, image.getWidth(), image.getHeight());
    }

    /** Writes one chart as a PNG file. */
    static void writePng(Chart<?, ?> chart, Path file) throws IOException {
        writePng(render(chart), file);
    }
}
