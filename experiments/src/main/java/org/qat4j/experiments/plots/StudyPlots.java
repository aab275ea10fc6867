package org.qat4j.experiments.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.qat4j.experiments.results.AccuracySummary;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.Figure;
import org.qat4j.experiments.results.LayerErrorCurve;
import org.qat4j.experiments.results.LayerErrorFiles;
import org.qat4j.experiments.results.LayerWeights;
import org.qat4j.experiments.results.LayerWeightsFile;
import org.qat4j.experiments.results.ResultsFolder;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.results.RunsTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws every plot of a study from the CSV files of a results folder into its {@code plots}
 * folder. A plot whose data is missing (no curves, no layer error file, ...) is skipped with a
 * log line.
 */
public final class StudyPlots {

    private static final Logger log = LoggerFactory.getLogger(StudyPlots.class);

    private StudyPlots() {
    }

    /**
     * Reads {@code runs.csv} (required) and the optional CSV files of {@code folder}, and writes the plots.
     *
     * @return the plots written, in report order
     */
    public static List<Figure> writeAll(ResultsFolder folder) throws IOException {
        List<RunRecord> runs = RunsTable.openExisting(folder.dir()).records();
        List<CurveRecord> curves = List.of();
        if (Files.exists(folder.curvesCsv())) {
            curves = CurvesTable.open(folder.dir()).records();
        }
        Optional<LayerErrorCurve> layerError = LayerErrorFiles.read(folder.dir());
        Optional<LayerWeights> layerWeights = LayerWeightsFile.read(folder.dir());
        return writeAll(folder.plotsDir(), runs, curves, layerError, layerWeights);
    }

    /** Writes the plots of the given data into {@code plotsDir}; returns them with paths relative to its parent. */
    public static List<Figure> writeAll(Path plotsDir, List<RunRecord> runs, List<CurveRecord> curves,
            Optional<LayerErrorCurve> layerError, Optional<LayerWeights> layerWeights) throws IOException {
        Files.createDirectories(plotsDir);
        String prefix = plotsDir.getFileName() + "/";
        List<Figure> figures = new ArrayList<>();

        List<AccuracyVsBitsPlot.Panel> accuracyPanels = accuracyPanels(AccuracySummary.of(runs));
        if (accuracyPanels.isEmpty()) {
            log.info("Skipping {}: runs.csv has no quantized runs", AccuracyVsBitsPlot.FILE_NAME);
        } else {
            AccuracyVsBitsPlot.write(accuracyPanels, plotsDir.resolve(AccuracyVsBitsPlot.FILE_NAME));
            figures.add(new Figure("Test accuracy against bit width: PTQ and QAT (lines), integer engine (markers), FP32 (dashed)",
                    prefix + AccuracyVsBitsPlot.FILE_NAME));
        }

        List<TrainingCurvesPlot.Panel> curvePanels = curvePanels(curves);
        if (curvePanels.isEmpty()) {
            log.info("Skipping {}: curves.csv is missing or has no QAT epochs", TrainingCurvesPlot.FILE_NAME);
        } else {
            TrainingCurvesPlot.write(curvePanels, plotsDir.resolve(TrainingCurvesPlot.FILE_NAME));
            figures.add(new Figure("Test accuracy per epoch of QAT at each bit width", prefix + TrainingCurvesPlot.FILE_NAME));
        }

        if (layerError.isPresent()) {
            QuantErrorPlot.write(layerError.get(), plotsDir.resolve(QuantErrorPlot.FILE_NAME));
            figures.add(new Figure("Quantization error of " + layerError.get().model() + " " + layerError.get().layer()
                    + " weights against scale, split into clipping and rounding error", prefix + QuantErrorPlot.FILE_NAME));
        } else {
            log.info("Skipping {}: {} not found", QuantErrorPlot.FILE_NAME, LayerErrorFiles.CURVE_FILE_NAME);
        }

        if (layerWeights.isPresent()) {
            WeightHistogramPlot.write(layerWeights.get(), WeightHistogramPlot.DEFAULT_BINS,
                    plotsDir.resolve(WeightHistogramPlot.FILE_NAME));
            figures.add(new Figure("Weights of " + layerWeights.get().model() + " " + layerWeights.get().layer()
                    + " with the " + layerWeights.get().bits() + "-bit grid levels", prefix + WeightHistogramPlot.FILE_NAME));
        } else {
            log.info("Skipping {}: {} not found", WeightHistogramPlot.FILE_NAME, LayerWeightsFile.FILE_NAME);
        }

        List<ModelSizePlot.ModelSize> sizes = modelSizes(runs);
        if (sizes.isEmpty()) {
            log.info("Skipping {}: runs.csv has no FP32 or integer model sizes", ModelSizePlot.FILE_NAME);
        } else {
            ModelSizePlot.write(sizes, plotsDir.resolve(ModelSizePlot.FILE_NAME));
            figures.add(new Figure("Model size in bytes: FP32 parameters and integer model files", prefix + ModelSizePlot.FILE_NAME));
        }
        return figures;
    }

    static List<AccuracyVsBitsPlot.Panel> accuracyPanels(List<AccuracySummary.ModelSummary> summaries) {
        List<AccuracyVsBitsPlot.Panel> panels = new ArrayList<>();
        for (AccuracySummary.ModelSummary summary : summaries) {
            if (summary.configs().isEmpty() || summary.fp32Accuracy() == null) {
                continue;
            }
            List<AccuracyVsBitsPlot.Series> lines = new ArrayList<>();
            List<AccuracyVsBitsPlot.Series> markers = new ArrayList<>();
            int otherColor = 0;
            for (Map.Entry<AccuracySummary.SeriesKey, Map<String, AccuracySummary.Cell>> entry : summary.cells().entrySet()) {
                AccuracySummary.SeriesKey key = entry.getKey();
                Color color = switch (key.method() + "/" + key.range() + "/" + key.granularity()) {
                    case "ptq/minmax/per-channel" -> ChartImages.ORANGE;
                    case "ptq/mse/per-channel" -> ChartImages.GREEN;
                    case "qat/lsq/per-channel" -> ChartImages.BLUE;
                    default -> ChartImages.CYCLE.get(3 + otherColor++ % (ChartImages.CYCLE.size() - 3));
                };
                List<Double> fakeQuant = new ArrayList<>();
                List<Double> integer = new ArrayList<>();
                for (String config : summary.configs()) {
                    AccuracySummary.Cell cell = entry.getValue().get(config);
                    fakeQuant.add(cell == null ? null : cell.fakeQuantAccuracy());
                    integer.add(cell == null ? null : cell.integerAccuracy());
                }
                lines.add(new AccuracyVsBitsPlot.Series(key.label(), fakeQuant, false, color));
                markers.add(new AccuracyVsBitsPlot.Series("integer: " + key.label(), integer, true, color.darker()));
            }
            List<AccuracyVsBitsPlot.Series> all = new ArrayList<>(lines);
            all.addAll(markers);
            panels.add(new AccuracyVsBitsPlot.Panel(summary.model(), summary.fp32Accuracy(), summary.fp32ControlAccuracy(),
                    summary.configs(), all));
        }
        return panels;
    }

    /** QAT curves per model, one per run, ordered by bit widths; the FP32 control curve is added when present. */
    static List<TrainingCurvesPlot.Panel> curvePanels(List<CurveRecord> curves) {
        Map<String, Map<String, List<CurveRecord>>> byModel = new LinkedHashMap<>();
        for (CurveRecord row : curves) {
            if (row.method().equals(RunRecord.QAT) || row.method().equals(RunRecord.FP32_CONTROL)) {
                byModel.computeIfAbsent(row.model(), key -> new LinkedHashMap<>())
                        .computeIfAbsent(row.runId(), key -> new ArrayList<>()).add(row);
            }
        }
        List<TrainingCurvesPlot.Panel> panels = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<CurveRecord>>> model : byModel.entrySet()) {
            List<List<CurveRecord>> runs = new ArrayList<>(model.getValue().values());
            runs.sort(Comparator.<List<CurveRecord>>comparingInt(run -> run.get(0).method().equals(RunRecord.QAT) ? 0 : 1)
                    .thenComparingInt(run -> run.get(0).weightBits()).thenComparingInt(run -> run.get(0).activationBits())
                    .thenComparing(run -> run.get(0).runId()));
            Map<String, Integer> labelCounts = new LinkedHashMap<>();
            for (List<CurveRecord> run : runs) {
                labelCounts.merge(label(run.get(0)), 1, Integer::sum);
            }

            List<TrainingCurvesPlot.Curve> lines = new ArrayList<>();
            for (List<CurveRecord> run : runs) {
                run.sort(Comparator.comparingInt(CurveRecord::epoch));
                int[] epochs = run.stream().mapToInt(CurveRecord::epoch).toArray();
                double[] accuracy = run.stream().mapToDouble(CurveRecord::testAccuracy).toArray();
                String label = label(run.get(0));
                if (labelCounts.get(label) > 1) {
                    label = run.get(0).runId();
                }
                lines.add(new TrainingCurvesPlot.Curve(label, epochs, accuracy));
            }
            boolean hasQat = runs.stream().anyMatch(run -> run.get(0).method().equals(RunRecord.QAT));
            if (hasQat) {
                panels.add(new TrainingCurvesPlot.Panel(model.getKey(), "QAT test accuracy per epoch", lines));
            }
        }
        return panels;
    }

    private static String label(CurveRecord row) {
        return row.method().equals(RunRecord.QAT) ? row.configLabel() : "FP32 control";
    }

    /**
     * Sizes per model: FP32 from the FP32 run, int8 and 4-bit from integer models with 8-bit and
     * 4-bit weights (the smallest file when there are several, for example W4A4 and W4A8).
     */
    static List<ModelSizePlot.ModelSize> modelSizes(List<RunRecord> runs) {
        Map<String, Map<String, Long>> sizes = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            String format = null;
            if (run.method().equals(RunRecord.FP32)) {
                format = "FP32";
            } else if (run.isQuantized() && run.hasIntegerModel() && run.weightBits() == 8) {
                format = "int8 weights";
            } else if (run.isQuantized() && run.hasIntegerModel() && run.weightBits() == 4) {
                format = "4-bit weights";
            }
            if (format != null && run.modelBytes() > 0) {
                sizes.computeIfAbsent(run.model(), key -> new LinkedHashMap<>()).merge(format, run.modelBytes(), Math::min);
            }
        }
        List<ModelSizePlot.ModelSize> result = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> model : sizes.entrySet()) {
            for (String format : List.of("FP32", "int8 weights", "4-bit weights")) {
                Long bytes = model.getValue().get(format);
                if (bytes != null) {
                    result.add(new ModelSizePlot.ModelSize(model.getKey(), format, bytes));
                }
            }
        }
        return result;
    }
}
