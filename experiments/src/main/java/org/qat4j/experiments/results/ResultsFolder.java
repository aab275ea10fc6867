package org.qat4j.experiments.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder that contains the results of a study: the CSV files, the plots and the report.
 * {@link #openForWriting} checks up front, with a probe file, that the folder can be written,
 * so a bad {@code --out} fails before hours of training instead of after.
 */
public final class ResultsFolder {

    public static final String PLOTS_FOLDER = "plots";
    public static final String REPORT_FILE = "REPORT.md";

    private static final Logger log = LoggerFactory.getLogger(ResultsFolder.class);

    private final Path dir;

    private ResultsFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates the folder when needed and checks that a file can be created in it. */
    public static ResultsFolder openForWriting(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ResultsFileException("Results folder " + dir + " cannot be created (" + e
                    + "). Choose another folder with --out, or fix the path.", e);
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.writeString(probe, "probe");
        } catch (IOException e) {
            throw new ResultsFileException("Results folder " + dir + " is not writable (" + e
                    + "). Choose another folder with --out, or fix its permissions.", e);
        } finally {
            deleteProbe(probe);
        }
        log.debug("Results folder {} is writable", dir);
        return new ResultsFolder(dir);
    }

    private static void deleteProbe(Path probe) {
        if (probe == null) {
            return;
        }
        try {
            Files.deleteIfExists(probe);
        } catch (IOException e) {
            log.warn("Deleting the write probe {} failed: {}", probe, e.toString());
        }
    }

    public Path dir() {
        return dir;
    }

    public Path runsCsv() {
        return dir.resolve(RunsTable.FILE_NAME);
    }

    public Path curvesCsv() {
        return dir.resolve(CurvesTable.FILE_NAME);
    }

    public Path layerErrorCsv() {
        return dir.resolve(LayerErrorFiles.CURVE_FILE_NAME);
    }

    public Path layerErrorMarkersCsv() {
        return dir.resolve(LayerErrorFiles.MARKERS_FILE_NAME);
    }

    public Path weightsHistogramCsv() {
        return dir.resolve(LayerWeightsFile.FILE_NAME);
    }

    public Path plotsDir() {
        return dir.resolve(PLOTS_FOLDER);
    }

    public Path report() {
        return dir.resolve(REPORT_FILE);
    }
}
