package org.qat4j.experiments.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.experiments.PlotCommand;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.LayerErrorCurve;
import org.qat4j.experiments.results.LayerErrorFiles;
import org.qat4j.experiments.results.LayerWeights;
import org.qat4j.experiments.results.LayerWeightsFile;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.results.RunsTable;
import org.qat4j.experiments.results.SampleResults;

import picocli.CommandLine;

class PlotCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int plot(Path folder) {
        CommandLine commandLine = new CommandLine(new PlotCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("--out", folder.toString());
    }

    private void writeRunsAndCurves() {
        RunsTable runs = RunsTable.open(dir);
        List<RunRecord> records = new ArrayList<>(SampleResults.study("mlp"));
        records.addAll(SampleResults.study("cnn"));
        records.forEach(runs::append);
        CurvesTable curves = CurvesTable.open(dir);
        List<CurveRecord> curveRecords = new ArrayList<>(SampleResults.curves("mlp"));
        curveRecords.addAll(SampleResults.curves("cnn"));
        curveRecords.forEach(curves::append);
    }

    @Test
    void drawsEveryPlotAndReport() throws Exception {
        writeRunsAndCurves();
        float[] weights = {0.25f, -0.875f, 3.0f, 0.375f, 0.1f, -0.2f};
        LayerErrorFiles.write(dir, LayerErrorCurve.compute("cnn", "conv2", 4, weights, -7, 7,
                new double[] {0.1, 0.2, 0.3, 0.4}, List.of(new LayerErrorCurve.ScaleMarker("min-max", 3.0 / 7))));
        LayerWeightsFile.write(dir, new LayerWeights("cnn", "conv2", 4, weights, LayerWeights.gridLevels(0.3, -7, 7)));

        int exitCode = plot(dir);

        assertEquals(0, exitCode, err.toString());
        PngAssertions.assertPng(dir.resolve("plots/accuracy_vs_bits.png"), 2 * ChartImages.WIDTH, ChartImages.HEIGHT);
        PngAssertions.assertPng(dir.resolve("plots/training_curves.png"), 2 * ChartImages.WIDTH, ChartImages.HEIGHT);
        PngAssertions.assertPng(dir.resolve("plots/quant_error_vs_scale.png"), ChartImages.WIDTH, ChartImages.HEIGHT);
        PngAssertions.assertPng(dir.resolve("plots/weight_histogram.png"), ChartImages.WIDTH, ChartImages.HEIGHT);
        PngAssertions.assertPng(dir.resolve("plots/model_size.png"), 2 * ChartImages.WIDTH, ChartImages.HEIGHT);
        String report = Files.readString(dir.resolve("REPORT.md"));
        for (String name : List.of("accuracy_vs_bits", "training_curves", "quant_error_vs_scale", "weight_histogram", "model_size")) {
            assertTrue(report.contains("](plots/" + name + ".png)"), name + " not linked:\n" + report);
        }
        assertTrue(out.toString().contains("REPORT.md"), out.toString());
    }

    @Test
    void skipsPlotsWithoutOptionalFiles() throws Exception {
        RunsTable runs = RunsTable.open(dir);
        SampleResults.study("mlp").forEach(runs::append);

        int exitCode = plot(dir);

        assertEquals(0, exitCode, err.toString());
        assertTrue(Files.exists(dir.resolve("plots/accuracy_vs_bits.png")));
        assertTrue(Files.exists(dir.resolve("plots/model_size.png")));
        assertFalse(Files.exists(dir.resolve("plots/training_curves.png")));
        assertFalse(Files.exists(dir.resolve("plots/quant_error_vs_scale.png")));
        assertFalse(Files.exists(dir.resolve("plots/weight_histogram.png")));
        String report = Files.readString(dir.resolve("REPORT.md"));
        assertFalse(report.contains("training_curves"), report);
        assertFalse(report.contains("weight_histogram"), report);
    }

    @Test
    void missingRunsCsvFailsWithMessage() {
        int exitCode = plot(dir);

        assertEquals(1, exitCode);
        assertTrue(err.toString().contains("runs.csv not found"), err.toString());
        assertFalse(Files.exists(dir.resolve("REPORT.md")));
    }

    @Test
    void corruptedRunsCsvFailsAndStaysUntouched() throws Exception {
        String text = "run_id,model\nx,y\n";
        Files.writeString(dir.resolve("runs.csv"), text);

        int exitCode = plot(dir);

        assertEquals(1, exitCode);
        assertTrue(err.toString().contains("runs.csv line 1"), err.toString());
        assertEquals(text, Files.readString(dir.resolve("runs.csv")));
    }

    @Test
    void sameCsvGivesSamePlotBytes() throws Exception {
        writeRunsAndCurves();
        assertEquals(0, plot(dir), err.toString());
        byte[] first = Files.readAllBytes(dir.resolve("plots/accuracy_vs_bits.png"));
        byte[] firstCurves = Files.readAllBytes(dir.resolve("plots/training_curves.png"));

        assertEquals(0, plot(dir), err.toString());

        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(dir.resolve("plots/accuracy_vs_bits.png"))));
        assertTrue(java.util.Arrays.equals(firstCurves, Files.readAllBytes(dir.resolve("plots/training_curves.png"))));
    }
}
