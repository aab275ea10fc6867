package org.qat4j.experiments.plots;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSizePlotTest {

    @TempDir
    Path dir;

    @Test
    void writesOnePanelPerModel() throws Exception {
        Path file = dir.resolve("size.png");

        ModelSizePlot.write(List.of(new ModelSizePlot.ModelSize("mlp", "FP32", 400_000),
                new ModelSizePlot.ModelSize("mlp", "int8 weights", 100_000),
                new ModelSizePlot.ModelSize("cnn", "FP32", 90_000)), file);

        PngAssertions.assertPng(file, 2 * ChartImages.WIDTH, ChartImages.HEIGHT);
    }

    @Test
    void emptyListRejected() {
        assertThrows(IllegalArgumentException.class, () -> ModelSizePlot.write(List.of(), dir.resolve("size.png")));
    }
}
