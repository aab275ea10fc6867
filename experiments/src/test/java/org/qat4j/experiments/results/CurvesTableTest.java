package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesTableTest {

    @TempDir
    Path dir;

    private static CurveRecord epoch(String runId, int epoch, double loss) {
        return new CurveRecord(runId, "mlp", "qat", 4, 4, epoch, loss, 97.25, 96.875, 1.0E-4, 12.5);
    }

    @Test
    void roundTripKeepsExactValues() {
        CurvesTable table = CurvesTable.open(dir);
        List<CurveRecord> rows = List.of(epoch("a", 1, 0.123456789), epoch("a", 2, Double.NaN), epoch("b", 1, 1.0 / 3));
        rows.forEach(table::append);

        List<CurveRecord> loaded = CurvesTable.open(dir).records();

        assertEquals(rows, loaded);
        assertTrue(Double.isNaN(loaded.get(1).trainLoss()));
        assertEquals(1.0 / 3, loaded.get(2).trainLoss());
    }

    @Test
    void duplicateEpochRejected() {
        CurvesTable table = CurvesTable.open(dir);
        table.append(epoch("a", 1, 0.5));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> table.append(epoch("a", 1, 0.4)));

        assertTrue(error.getMessage().contains("a epoch 1"), error.getMessage());
    }

    @Test
    void removeRunKeepsOtherRowsBytes() throws Exception {
        CurvesTable table = CurvesTable.open(dir);
        table.append(epoch("a", 1, 0.5));
        table.append(epoch("b", 1, 0.25));
        table.append(epoch("a", 2, 0.125));
        table.append(epoch("c", 1, 0.0625));
        List<String> before = Files.readAllLines(table.file());

        int removed = CurvesTable.open(dir).removeRun("a");

        assertEquals(2, removed);
        assertEquals(List.of(before.get(0), before.get(2), before.get(4)), Files.readAllLines(table.file()));
        assertEquals(List.of(epoch("b", 1, 0.25), epoch("c", 1, 0.0625)), CurvesTable.open(dir).records());
    }

    @Test
    void removedRunCanBeAppendedAgain() {
        CurvesTable table = CurvesTable.open(dir);
        table.append(epoch("a", 1, 0.5));

        table.removeRun("a");
        table.append(epoch("a", 1, 0.375));

        assertEquals(List.of(epoch("a", 1, 0.375)), CurvesTable.open(dir).records());
    }

    @Test
    void negativeLearningRateInFileRejected() throws Exception {
        String text = String.join(",", CurvesTable.HEADER) + "\n" + "a,mlp,qat,4,4,1,0.5,97.0,96.0,-0.1,3.0\n";
        Files.writeString(dir.resolve("curves.csv"), text);

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> CurvesTable.open(dir));

        assertTrue(error.getMessage().contains("curves.csv line 2"), error.getMessage());
        assertTrue(error.getMessage().contains("learning_rate -0.1"), error.getMessage());
        assertEquals(text, Files.readString(dir.resolve("curves.csv")));
    }
}
