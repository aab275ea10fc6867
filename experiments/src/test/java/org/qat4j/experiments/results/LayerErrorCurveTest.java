package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerErrorCurveTest {

    @TempDir
    Path dir;

    private static final float[] WEIGHTS = {0.25f, -0.875f, 3.0f, 0.375f};

    @Test
    void splitsClippingAndRoundingByHand() {
        // s = 0.25 on [-7, 7]: 0.25 -> q 1, error 0; -0.875 -> -3.5 rounds to -4 (half to even), error 0.125;
        // 3.0 -> 12, clipped to 7 (1.75), error 1.25; 0.375 -> 1.5 rounds to 2, error -0.125.
        LayerErrorCurve curve = LayerErrorCurve.compute("cnn", "conv1", 4, WEIGHTS, -7, 7, new double[] {0.25}, List.of());

        LayerErrorCurve.ErrorPoint point = curve.points().get(0);
        assertEquals(1.5625 / 4, point.clippingMse());
        assertEquals((0.015625 + 0.015625) / 4, point.roundingMse());
        assertEquals(0.3984375, point.totalMse());
    }

    @Test
    void largeScaleHasNoClipping() {
        // s = 0.5: q = 0.5 -> 0 (even), -1.75 -> -2, 6, 0.75 -> 1; nothing leaves [-7, 7].
        LayerErrorCurve curve = LayerErrorCurve.compute("cnn", "conv1", 4, WEIGHTS, -7, 7, new double[] {0.5}, List.of());

        LayerErrorCurve.ErrorPoint point = curve.points().get(0);
        assertEquals(0.0, point.clippingMse());
        assertEquals((0.0625 + 0.015625 + 0 + 0.015625) / 4, point.roundingMse());
    }

    @Test
    void filesRoundTripExactly() throws Exception {
        List<LayerErrorCurve.ScaleMarker> markers = List.of(new LayerErrorCurve.ScaleMarker("min-max", 3.0 / 7),
                new LayerErrorCurve.ScaleMarker("MSE", 0.25));
        LayerErrorCurve curve = LayerErrorCurve.compute("cnn", "conv2", 4, WEIGHTS, -7, 7,
                new double[] {0.1, 0.25, 3.0 / 7, 0.5}, markers);

        LayerErrorFiles.write(dir, curve);

        assertEquals(curve, LayerErrorFiles.read(dir).orElseThrow());
        assertEquals("model,layer,bits,scale,clipping_mse,rounding_mse,total_mse",
                Files.readAllLines(dir.resolve("layer_error.csv")).get(0));
        assertEquals("cnn,conv2,4,MSE,0.25", Files.readAllLines(dir.resolve("layer_error_markers.csv")).get(2));
    }

    @Test
    void missingFileGivesEmpty() {
        assertTrue(LayerErrorFiles.read(dir).isEmpty());
    }

    @Test
    void missingMarkersFileGivesNoMarkers() throws Exception {
        LayerErrorFiles.write(dir, LayerErrorCurve.compute("cnn", "conv2", 4, WEIGHTS, -7, 7, new double[] {0.25},
                List.of(new LayerErrorCurve.ScaleMarker("MSE", 0.25))));
        Files.delete(dir.resolve("layer_error_markers.csv"));

        assertEquals(List.of(), LayerErrorFiles.read(dir).orElseThrow().markers());
    }

    @Test
    void decreasingScalesInFileRejected() throws Exception {
        Files.writeString(dir.resolve("layer_error.csv"), "model,layer,bits,scale,clipping_mse,rounding_mse,total_mse\n"
                + "cnn,conv2,4,0.5,0,1,1\ncnn,conv2,4,0.25,1,0,1\n");

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> LayerErrorFiles.read(dir));

        assertTrue(error.getMessage().contains("layer_error.csv"), error.getMessage());
        assertTrue(error.getMessage().contains("Scales must increase"), error.getMessage());
    }

    @Test
    void mixedLayersInFileRejected() throws Exception {
        Files.writeString(dir.resolve("layer_error.csv"), "model,layer,bits,scale,clipping_mse,rounding_mse,total_mse\n"
                + "cnn,conv2,4,0.25,0,1,1\ncnn,conv1,4,0.5,1,0,1\n");

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> LayerErrorFiles.read(dir));

        assertTrue(error.getMessage().contains("mixes layers"), error.getMessage());
    }
}
