package org.qat4j.experiments.plots;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.experiments.results.LayerErrorCurve;

class QuantErrorPlotTest {

    @TempDir
    Path dir;

    @Test
    void writesPngWithMarkers() throws Exception {
        float[] weights = new float[200];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i - 100) / 400f;
        }
        double[] scales = new double[40];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = 0.005 + i * 0.001;
        }
        LayerErrorCurve curve = LayerErrorCurve.compute("cnn", "conv2", 4, weights, -7, 7, scales,
                List.of(new LayerErrorCurve.ScaleMarker("min-max", 0.25 / 7), new LayerErrorCurve.ScaleMarker("MSE", 0.03)));
        Path file = dir.resolve("error.png");

        QuantErrorPlot.write(curve, file);

        PngAssertions.assertPng(file, ChartImages.WIDTH, ChartImages.HEIGHT);
    }

    @Test
    void writesPngWhenAllErrorsAreZero() throws Exception {
        LayerErrorCurve curve = LayerErrorCurve.compute("cnn", "conv2", 4, new float[] {0f, 0f}, -7, 7,
                new double[] {0.1, 0.2}, List.of());
        Path file = dir.resolve("zero.png");

        QuantErrorPlot.write(curve, file);

        PngAssertions.assertPng(file, ChartImages.WIDTH, ChartImages.HEIGHT);
    }
}
