package org.qat4j.experiments.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.experiments.results.LayerWeights;

class WeightHistogramPlotTest {

    @TempDir
    Path dir;

    @Test
    void countsValuesIntoEqualBins() {
        float[] values = {-1f, -0.5f, -0.49f, 0f, 0.5f, 1f, 1.5f};

        // Bins of width 0.5 over [-1, 1]: [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1]; 1.5 is outside.
        assertArrayEquals(new long[] {1, 2, 1, 2}, WeightHistogramPlot.histogram(values, -1, 1, 4));
    }

    @Test
    void writesPngWithGridLevels() throws Exception {
        float[] weights = new float[1000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(i) * 0.3f;
        }
        LayerWeights layer = new LayerWeights("cnn", "conv2 channel 0", 4, weights, LayerWeights.gridLevels(0.04, -7, 7));
        Path file = dir.resolve("histogram.png");

        WeightHistogramPlot.write(layer, 50, file);

        PngAssertions.assertPng(file, ChartImages.WIDTH, ChartImages.HEIGHT);
    }
}
