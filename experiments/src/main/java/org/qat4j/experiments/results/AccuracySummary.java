package org.qat4j.experiments.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accuracies of {@code runs.csv} arranged per model, per method and range estimator, and per
 * bit-width configuration; runs that differ only in the seed are averaged. The plots and the
 * report both read it, so they show the same numbers.
 */
public final class AccuracySummary {

    /** A line of the study: method, range estimator and granularity, for example QAT with LSQ per channel. */
    public record SeriesKey(String method, String range, String granularity) {

        /** Legend text, for example {@code PTQ (min-max)} or {@code QAT (LSQ, per-tensor)}. */
        public String label() {
            String text = method.toUpperCase(Locale.ROOT) + " (" + rangeLabel(range);
            if (granularity.equals(RunRecord.PER_TENSOR)) {
                text += ", per-tensor";
            }
            return text + ")";
        }

        private int order() {
            int methodOrder = method.equals(RunRecord.PTQ) ? 0 : 1;
            int rangeOrder = switch (range) {
                case "minmax" -> 0;
                case "mse" -> 1;
                default -> 2;
            };
            int granularityOrder = granularity.equals(RunRecord.PER_TENSOR) ? 1 : 0;
            return methodOrder * 100 + rangeOrder * 10 + granularityOrder;
        }
    }

    /**
     * Mean accuracies of the runs of one series at one configuration; integer values are null
     * when none of those runs has an integer model.
     */
    public record Cell(double fakeQuantAccuracy, Double integerAccuracy, Double agreement, int runs) {
    }

    /**
     * The runs of one model.
     *
     * @param fp32Accuracy mean accuracy of the FP32 runs. Without FP32 runs it is the mean FP32
     *     accuracy recorded by the quantized runs, and null when the model has neither.
     * @param fp32ControlAccuracy mean accuracy of the FP32 control runs, null when there are none
     * @param configs configuration labels ordered by weight bits, then activation bits
     * @param cells per series (in plotting order), per configuration label
     */
    public record ModelSummary(String model, Double fp32Accuracy, Double fp32ControlAccuracy, List<String> configs,
            Map<SeriesKey, Map<String, Cell>> cells) {
    }

    private static final Comparator<SeriesKey> SERIES_ORDER = Comparator.comparingInt(SeriesKey::order)
            .thenComparing(SeriesKey::method).thenComparing(SeriesKey::range).thenComparing(SeriesKey::granularity);

    private AccuracySummary() {
    }

    /** Summarizes {@code runs}; models keep the order of their first run. */
    public static List<ModelSummary> of(List<RunRecord> runs) {
        Map<String, List<RunRecord>> byModel = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            byModel.computeIfAbsent(run.model(), key -> new ArrayList<>()).add(run);
        }
        List<ModelSummary> summaries = new ArrayList<>();
        for (Map.Entry<String, List<RunRecord>> entry : byModel.entrySet()) {
            summaries.add(summarize(entry.getKey(), entry.getValue()));
        }
        return summaries;
    }

    private static ModelSummary summarize(String model, List<RunRecord> runs) {
        List<Double> fp32 = new ArrayList<>();
        List<Double> fp32Baselines = new ArrayList<>();
        List<Double> control = new ArrayList<>();
        TreeSet<int[]> bitWidths = new TreeSet<>(Comparator.<int[]>comparingInt(bits -> bits[0]).thenComparingInt(bits -> bits[1]));
        Map<SeriesKey, Map<String, List<RunRecord>>> grouped = new TreeMap<>(SERIES_ORDER);
        for (RunRecord run : runs) {
            switch (run.method()) {
                case RunRecord.FP32 -> fp32.add(run.fp32Accuracy());
                case RunRecord.FP32_CONTROL -> control.add(run.fp32Accuracy());
                default -> {
                    fp32Baselines.add(run.fp32Accuracy());
                    if (run.fakeQuantAccuracy() == null) {
                        continue;
                    }
                    bitWidths.add(new int[] {run.weightBits(), run.activationBits()});
                    SeriesKey key = new SeriesKey(run.method(), run.range(), run.granularity());
                    grouped.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(run.configLabel(), k -> new ArrayList<>())
                            .add(run);
                }
            }
        }

        List<String> configs = new ArrayList<>();
        for (int[] bits : bitWidths) {
            configs.add(RunRecord.configLabel(bits[0], bits[1]));
        }
        Map<SeriesKey, Map<String, Cell>> cells = new LinkedHashMap<>();
        for (Map.Entry<SeriesKey, Map<String, List<RunRecord>>> series : grouped.entrySet()) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (String config : configs) {
                List<RunRecord> group = series.getValue().get(config);
                if (group != null) {
                    row.put(config, cell(group));
                }
            }
            cells.put(series.getKey(), row);
        }
        Double fp32Accuracy = fp32.isEmpty() ? mean(fp32Baselines) : mean(fp32);
        return new ModelSummary(model, fp32Accuracy, mean(control), configs, cells);
    }

    private static Cell cell(List<RunRecord> group) {
        List<Double> fakeQuant = new ArrayList<>();
        List<Double> integer = new ArrayList<>();
        List<Double> agreement = new ArrayList<>();
        for (RunRecord run : group) {
            fakeQuant.add(run.fakeQuantAccuracy());
            if (run.hasIntegerModel()) {
                integer.add(run.integerAccuracy());
                agreement.add(run.agreement());
            }
        }
        return new Cell(mean(fakeQuant), mean(integer), mean(agreement), group.size());
    }

    /** Arithmetic mean, or null for an empty list. */
    private static Double mean(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.size();
    }

    /** Display name of a range estimator: {@code minmax} is {@code min-max}, others are upper case. */
    public static String rangeLabel(String range) {
        if (range.equals("minmax")) {
            return "min-max";
        }
        return range.isEmpty() ? "default" : range.toUpperCase(Locale.ROOT);
    }
}
