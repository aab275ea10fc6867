package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.qat4j.experiments.plots.StudyPlots;
import org.qat4j.experiments.results.Figure;
import org.qat4j.experiments.results.Report;
import org.qat4j.experiments.results.ResultsFileException;
import org.qat4j.experiments.results.ResultsFolder;
import org.qat4j.experiments.results.RunsTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qat4j plot}: draws the plots and writes the report again from the CSV files of a results folder. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draws the plots and writes REPORT.md from the CSV files of a results folder.",
                "Reads runs.csv (required) and curves.csv, layer_error.csv, layer_error_markers.csv and "
                        + "weights_histogram.csv when present; plots whose file is missing are skipped."})
public final class PlotCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Results folder that contains runs.csv; plots go to DIR/plots, the report to DIR/REPORT.md "
                    + "(default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path report;
        try {
            report = regenerate(out, null);
        } catch (ResultsFileException e) {
            spec.commandLine().getErr().println("qat4j plot: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("Wrote " + report + " and the plots in " + out.resolve(ResultsFolder.PLOTS_FOLDER));
        return 0;
    }

    /**
     * Draws the plots and writes the report of the results folder {@code dir}.
     *
     * @param wallClock wall-clock time of the study for the report header, or null when unknown
     * @return the report file
     */
    public static Path regenerate(Path dir, Duration wallClock) throws IOException {
        if (!Files.isRegularFile(dir.resolve(RunsTable.FILE_NAME))) {
            throw new ResultsFileException(dir.resolve(RunsTable.FILE_NAME) + " not found: run the experiments first "
                    + "(./qat4j reproduce), or pass the folder that contains runs.csv with --out.");
        }
        ResultsFolder folder = ResultsFolder.openForWriting(dir);
        List<Figure> figures = StudyPlots.writeAll(folder);
        return Report.write(folder.dir(), RunsTable.openExisting(folder.dir()).records(), figures, wallClock);
    }
}
