package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void linksOnlyExistingFiles() throws Exception {
        Files.createDirectories(dir.resolve("plots"));
        Files.writeString(dir.resolve("plots/present.png"), "png");
        List<Figure> figures = List.of(new Figure("Present plot", "plots/present.png"),
                new Figure("Absent plot", "plots/absent.png"));

        Path report = Report.write(dir, SampleResults.study("cnn"), figures, null);
        String text = Files.readString(report);

        assertEquals(dir.resolve("REPORT.md"), report);
        assertTrue(text.contains("![Present plot](plots/present.png)"), text);
        assertFalse(text.contains("absent.png"), text);
        assertFalse(text.contains("Absent plot"), text);
    }

    @Test
    void headerNamesModelsConfigsAndTime() throws Exception {
        List<RunRecord> runs = new java.util.ArrayList<>(SampleResults.study("mlp"));
        runs.addAll(SampleResults.study("cnn"));

        String text = Report.render(dir, runs, List.of(), Duration.ofSeconds(3725));

        assertTrue(text.contains("- Models: mlp, cnn\n"), text);
        assertTrue(text.contains("- Bit-width configurations: W4A4, W4A8, W8A8 (weights per-channel)\n"), text);
        assertTrue(text.contains("- Runs: 22\n"), text);
        // Each study: 61.25 + 40.5 + 9 * 12.5 = 214.25 s, two studies 428.5 s.
        assertTrue(text.contains("- Training and calibration time, summed over runs: 7 min 09 s\n"), text);
        assertTrue(text.contains("- Wall-clock time of the study: 1 h 02 min\n"), text);
    }

    @Test
    void tablesListEveryRunAndSummary() {
        String text = Report.render(dir, SampleResults.study("cnn"), List.of(), null);

        assertTrue(text.contains("| config | PTQ (min-max) | integer, agreement | PTQ (MSE) | integer, agreement | QAT (LSQ) "
                + "| integer, agreement |\n"), text);
        // W4A4: drop = 4 + 2 = 6, so min-max 98.25 - 24, MSE 98.25 - 12 (integer 98.0 - 12), QAT 98.5 - 1.5.
        assertTrue(text.contains("| W4A4 | 74.25 | 74.25, 99.25 | 86.25 | 86.00, 99.25 | 97.00 | 97.00, 99.25 |\n"), text);
        assertTrue(text.contains("| cnn/qat/lsq/w4a8/pc/seed1 | qat | lsq | W4A8 | per-channel | 1 | 2 | 98.50 |"), text);
        assertTrue(text.contains("| cnn/fp32/seed1 | fp32 |  | FP32 |  | 1 | 3 | 98.50 |  |  |  | 400000 | 1 min 01 s |  |\n"), text);
        assertFalse(text.contains("## Plots"), text);
    }

    @Test
    void formatsDurations() {
        assertEquals("42.5 s", Report.formatDuration(42.5));
        assertEquals("3 min 05 s", Report.formatDuration(185));
        assertEquals("2 h 07 min", Report.formatDuration(2 * 3600 + 7 * 60 + 20));
    }
}
