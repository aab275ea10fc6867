package org.qat4j.experiments.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code REPORT.md} into a results folder: a header with the models, configurations and
 * time taken, an accuracy summary per model, the plots that exist (relative links), and a table
 * of every run. The file is replaced atomically.
 */
public final class Report {

    private static final Logger log = LoggerFactory.getLogger(Report.class);

    private Report() {
    }

    /**
     * Writes the report.
     *
     * @param figures plots to embed; those whose file does not exist are left out
     * @param wallClock wall-clock time of the whole study, or null when unknown (for example when
     *     the report is made again from the CSV files)
     * @return the report file
     */
    public static Path write(Path folder, List<RunRecord> runs, List<Figure> figures, Duration wallClock) throws IOException {
        Path file = folder.resolve(ResultsFolder.REPORT_FILE);
        AtomicFiles.writeString(file, render(folder, runs, figures, wallClock));
        log.info("Wrote {} ({} runs, {} plots)", file, runs.size(), figures.stream().filter(f -> exists(folder, f)).count());
        return file;
    }

    static String render(Path folder, List<RunRecord> runs, List<Figure> figures, Duration wallClock) {
        StringBuilder text = new StringBuilder();
        text.append("# qat4j results\n\n");
        appendHeader(text, runs, wallClock);
        appendSummary(text, AccuracySummary.of(runs));

        List<Figure> present = new ArrayList<>();
        for (Figure figure : figures) {
            if (exists(folder, figure)) {
                present.add(figure);
            } else {
                log.info("Not linking {} in the report: the file does not exist", figure.relativePath());
            }
        }
        if (!present.isEmpty()) {
            text.append("## Plots\n\n");
            for (Figure figure : present) {
                text.append("### ").append(figure.caption()).append("\n\n");
                text.append("![").append(escape(figure.caption())).append("](").append(figure.relativePath()).append(")\n\n");
            }
        }
        appendRuns(text, runs);
        return text.toString();
    }

    private static boolean exists(Path folder, Figure figure) {
        return Files.isRegularFile(folder.resolve(figure.relativePath()));
    }

    private static void appendHeader(StringBuilder text, List<RunRecord> runs, Duration wallClock) {
        Set<String> models = new LinkedHashSet<>();
        Set<String> methods = new LinkedHashSet<>();
        Set<String> granularities = new LinkedHashSet<>();
        double trainSeconds = 0;
        for (RunRecord run : runs) {
            models.add(run.model());
            methods.add(run.method());
            if (!run.granularity().isEmpty()) {
                granularities.add(run.granularity());
            }
            trainSeconds += run.trainSeconds();
        }

        List<String> configs = new ArrayList<>();
        for (AccuracySummary.ModelSummary summary : AccuracySummary.of(runs)) {
            for (String config : summary.configs()) {
                if (!configs.contains(config)) {
                    configs.add(config);
                }
            }
        }

        text.append("- Models: ").append(joinOrNone(models)).append('\n');
        text.append("- Methods: ").append(joinOrNone(methods)).append('\n');
        text.append("- Bit-width configurations: ").append(joinOrNone(configs));
        if (!granularities.isEmpty()) {
            text.append(" (weights ").append(String.join(", ", granularities)).append(')');
        }
        text.append('\n');
        text.append("- Runs: ").append(runs.size()).append('\n');
        text.append("- Training and calibration time, summed over runs: ").append(formatDuration(trainSeconds)).append('\n');
        if (wallClock != null) {
            text.append("- Wall-clock time of the study: ").append(formatDuration(wallClock.toMillis() / 1000.0)).append('\n');
        }
        text.append("\nAccuracies are top-1 test accuracy in percent; runs that differ only in the seed are averaged "
                + "in the summary. Agreement is the percent of test images where the integer engine and fake "
                + "quantization predict the same class.\n\n");
    }

    private static void appendSummary(StringBuilder text, List<AccuracySummary.ModelSummary> summaries) {
        if (!summaries.isEmpty()) {
            text.append("## Accuracy summary\n\n");
        }
        for (AccuracySummary.ModelSummary summary : summaries) {
            text.append("### ").append(summary.model()).append("\n\n");
            text.append("FP32: ").append(percent(summary.fp32Accuracy()));
            if (summary.fp32ControlAccuracy() != null) {
                text.append(", FP32 control trained for the same extra epochs: ").append(percent(summary.fp32ControlAccuracy()));
            }
            text.append("\n\n");
            if (summary.configs().isEmpty()) {
                continue;
            }
            List<String> header = new ArrayList<>(List.of("config"));
            for (AccuracySummary.SeriesKey key : summary.cells().keySet()) {
                header.add(key.label());
                header.add("integer, agreement");
            }
            appendRow(text, header);
            appendRow(text, Collections.nCopies(header.size(), "---"));
            for (String config : summary.configs()) {
                List<String> row = new ArrayList<>(List.of(config));
                for (Map<String, AccuracySummary.Cell> cells : summary.cells().values()) {
                    AccuracySummary.Cell cell = cells.get(config);
                    row.add(cell == null ? "" : percent(cell.fakeQuantAccuracy()));
                    row.add(cell == null || cell.integerAccuracy() == null ? ""
                            : percent(cell.integerAccuracy()) + ", " + percent(cell.agreement()));
                }
                appendRow(text, row);
            }
            text.append('\n');
        }
    }

    private static void appendRuns(StringBuilder text, List<RunRecord> runs) {
        text.append("## All runs\n\n");
        appendRow(text, List.of("run", "method", "range", "bits", "granularity", "seed", "epochs", "FP32 %", "fake-quant %",
                "integer %", "agreement %", "size (bytes)", "train time", "model file"));
        appendRow(text, Collections.nCopies(14, "---"));
        for (RunRecord run : runs) {
            appendRow(text, List.of(run.runId(), run.method(), run.range(), run.configLabel(), run.granularity(),
                    Long.toString(run.seed()), Integer.toString(run.epochs()), percent(run.fp32Accuracy()),
                    percent(run.fakeQuantAccuracy()), percent(run.integerAccuracy()), percent(run.agreement()),
                    Long.toString(run.modelBytes()), formatDuration(run.trainSeconds()), run.modelFile()));
        }
        text.append('\n');
    }

    private static void appendRow(StringBuilder text, List<String> cells) {
        text.append('|');
        for (String cell : cells) {
            text.append(' ').append(escape(cell)).append(" |");
        }
        text.append('\n');
    }

    /** Escapes the characters that would end a table cell or a link text. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("\n", " ");
    }

    private static String percent(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String joinOrNone(Iterable<String> values) {
        String joined = String.join(", ", values);
        return joined.isEmpty() ? "none" : joined;
    }

    /** Formats seconds as {@code 42.0 s}, {@code 3 min 05 s} or {@code 2 h 07 min}. */
    static String formatDuration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, (whole % 3600) / 60);
    }
}
