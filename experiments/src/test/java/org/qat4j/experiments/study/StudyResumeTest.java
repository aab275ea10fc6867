package org.qat4j.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.experiments.RealMnist;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.results.RunsTable;
import org.qat4j.experiments.training.ModelKind;

/** A study stopped between runs resumes with the missing runs and leaves the finished rows as they were. */
class StudyResumeTest {

    private static final int STOP_AFTER = 3;

    @TempDir
    Path out;

    /** Stands for a crash or Ctrl-C between two runs. */
    private static final class StopStudy extends RuntimeException {
        StopStudy() {
            super("stopped by the test");
        }
    }

    private StudyConfig config() {
        return new StudyConfig(List.of(ModelKind.MLP), List.of(new BitWidths(8, 8), new BitWidths(4, 4)),
                StudyMethod.parseList(List.of("ptq", "qat", "control")), List.of(1L), 1, 1, 2000, 500, out, false);
    }

    private static List<String> expectedRunIds(Study study) {
        List<String> ids = new ArrayList<>();
        ids.add(Study.fp32RunId(ModelKind.MLP, 1));
        ids.addAll(study.quantizedRunIds());
        ids.add(Study.controlRunId(ModelKind.MLP, 1));
        return ids;
    }

    @Test
    void resumesAfterStop() throws IOException {
        List<RunRecord> recorded = new ArrayList<>();
        Study first = new Study(config(), RealMnist.get(), record -> {
            recorded.add(record);
            if (recorded.size() == STOP_AFTER) {
                throw new StopStudy();
            }
        });
        List<String> expectedIds = expectedRunIds(first);
        assertEquals(8, first.plannedRuns());
        assertEquals(first.plannedRuns(), expectedIds.size());

        assertThrows(StopStudy.class, first::run);

        Path runsCsv = out.resolve(RunsTable.FILE_NAME);
        List<String> linesAfterStop = Files.readAllLines(runsCsv, StandardCharsets.UTF_8);
        assertEquals(1 + STOP_AFTER, linesAfterStop.size(), "header and the rows recorded before the stop");
        byte[] bytesAfterStop = Files.readAllBytes(runsCsv);
        byte[] checkpointAfterStop = Files.readAllBytes(out.resolve("checkpoints/mlp-fp32-seed1.ckpt"));

        List<RunRecord> resumed = new ArrayList<>();
        Path report = new Study(config(), RealMnist.get(), resumed::add).run();

        byte[] bytesAfterResume = Files.readAllBytes(runsCsv);
        assertArrayEquals(bytesAfterStop, Arrays.copyOf(bytesAfterResume, bytesAfterStop.length),
                "the rows written before the stop are byte-identical");
        List<String> ids = RunsTable.open(out).records().stream().map(RunRecord::runId).toList();
        assertEquals(expectedIds, ids, "every planned run once, in plan order");
        assertEquals(expectedIds.subList(STOP_AFTER, expectedIds.size()),
                resumed.stream().map(RunRecord::runId).toList(), "only the missing runs ran again");
        assertArrayEquals(checkpointAfterStop, Files.readAllBytes(out.resolve("checkpoints/mlp-fp32-seed1.ckpt")),
                "the FP32 baseline is loaded, not trained again");

        List<CurveRecord> curves = CurvesTable.open(out).records();
        assertEquals(1, curves.stream().filter(c -> c.runId().equals("mlp/fp32/seed1")).count());
        assertEquals(1, curves.stream().filter(c -> c.runId().equals("mlp/qat/lsq/w4a4/pc/seed1")).count());
        assertTrue(Files.isRegularFile(report));

        // A third run finds nothing to do and leaves runs.csv as it is.
        new Study(config(), RealMnist.get(), record -> {
            throw new AssertionError("run " + record.runId() + " ran again");
        }).run();
        assertArrayEquals(bytesAfterResume, Files.readAllBytes(runsCsv));
    }
}
