package org.qat4j.experiments.plots;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesPlotTest {

    @TempDir
    Path dir;

    @Test
    void writesOnePanelPerModel() throws Exception {
        TrainingCurvesPlot.Curve w4 = new TrainingCurvesPlot.Curve("W4A4", new int[] {1, 2, 3}, new double[] {95, 97, 97.5});
        TrainingCurvesPlot.Curve w2 = new TrainingCurvesPlot.Curve("W2A2", new int[] {1, 2, 3}, new double[] {80, 90, 92});
        Path file = dir.resolve("curves.png");

        TrainingCurvesPlot.write(List.of(new TrainingCurvesPlot.Panel("mlp", "QAT", List.of(w2, w4)),
                new TrainingCurvesPlot.Panel("cnn", "QAT", List.of(w4))), file);

        PngAssertions.assertPng(file, 2 * ChartImages.WIDTH, ChartImages.HEIGHT);
    }

    @Test
    void curveWithMismatchedLengthsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingCurvesPlot.Curve("W4A4", new int[] {1, 2}, new double[] {95}));
    }
}
