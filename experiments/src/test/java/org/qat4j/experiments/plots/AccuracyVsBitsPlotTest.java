package org.qat4j.experiments.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyVsBitsPlotTest {

    @TempDir
    Path dir;

    private static List<AccuracyVsBitsPlot.Panel> panels() {
        List<String> configs = List.of("W2A2", "W3A3", "W4A4", "W4A8", "W6A6", "W8A8");
        AccuracyVsBitsPlot.Series ptq = new AccuracyVsBitsPlot.Series("PTQ (min-max)",
                Arrays.asList(11.35, 45.0, 90.1, 95.2, 98.0, 98.4), false, ChartImages.ORANGE);
        AccuracyVsBitsPlot.Series qat = new AccuracyVsBitsPlot.Series("QAT (LSQ)",
                Arrays.asList(null, 96.0, 98.1, 98.3, 98.5, 98.6), false, ChartImages.BLUE);
        AccuracyVsBitsPlot.Series integer = new AccuracyVsBitsPlot.Series("integer (QAT)",
                Arrays.asList(null, 96.0, 98.1, 98.3, 98.5, 98.6), true, ChartImages.RED);
        return List.of(
                new AccuracyVsBitsPlot.Panel("mlp", 98.2, 98.3, configs, List.of(ptq, qat, integer)),
                new AccuracyVsBitsPlot.Panel("cnn", 99.1, null, configs, List.of(ptq, qat)));
    }

    @Test
    void writesCombinedPngOfTwoPanels() throws Exception {
        Path file = dir.resolve("accuracy_vs_bits.png");

        AccuracyVsBitsPlot.write(panels(), file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image);
        assertEquals(2 * ChartImages.WIDTH, image.getWidth());
        assertEquals(ChartImages.HEIGHT, image.getHeight());
    }

    @Test
    void sameDataGivesSameBytes() throws Exception {
        Path first = dir.resolve("first.png");
        Path second = dir.resolve("second.png");

        AccuracyVsBitsPlot.write(panels(), first);
        AccuracyVsBitsPlot.write(panels(), second);

        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }
}
