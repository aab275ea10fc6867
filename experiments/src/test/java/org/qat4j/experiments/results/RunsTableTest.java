package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsTableTest {

    @TempDir
    Path dir;

    private static final RunRecord QAT = new RunRecord("cnn/qat/lsq/w4a4/pc/seed1", "cnn", "qat", "lsq", 4, 4,
            "per-channel", 1, 10, 99.12, 98.87, 98.86, 99.97, 12_345, 1234.567890123, "models/cnn_w4a4.q4j");
    private static final RunRecord FP32 = new RunRecord("cnn/fp32/seed1", "cnn", "fp32", "", 32, 32, "", 1, 10, 99.12,
            null, null, null, 400_000, 0.1 + 0.2, "");

    @Test
    void roundTripKeepsExactValues() {
        RunsTable table = RunsTable.open(dir);
        table.append(QAT);
        table.append(FP32);

        List<RunRecord> loaded = RunsTable.openExisting(dir).records();

        assertEquals(List.of(QAT, FP32), loaded);
        assertEquals(0.30000000000000004, loaded.get(1).trainSeconds());
        assertEquals(null, loaded.get(1).integerAccuracy());
    }

    @Test
    void writesHeaderAndRowsAsText() throws Exception {
        RunsTable.open(dir).append(FP32);

        List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));

        assertEquals("run_id,model,method,range,wbits,abits,granularity,seed,epochs,fp32_acc,fakequant_acc,integer_acc,"
                + "agreement,model_bytes,train_seconds,model_file", lines.get(0));
        assertEquals("cnn/fp32/seed1,cnn,fp32,,32,32,,1,10,99.12,,,,400000,0.30000000000000004,", lines.get(1));
        assertEquals(2, lines.size());
    }

    @Test
    void valueWithCommaIsQuotedAndRoundTrips() {
        RunRecord odd = new RunRecord("mlp/ptq/mse,v2/w8a8", "mlp", "ptq", "mse,v2", 8, 8, "per-tensor", 3, 0, 98.0,
                97.5, null, null, 1000, 2.0, "a \"quoted\" name.q4j");
        RunsTable.open(dir).append(odd);

        assertEquals(List.of(odd), RunsTable.openExisting(dir).records());
    }

    @Test
    void appendKeepsEarlierBytes() throws Exception {
        RunsTable table = RunsTable.open(dir);
        table.append(QAT);
        byte[] before = Files.readAllBytes(table.file());

        RunsTable.open(dir).append(FP32);
        byte[] after = Files.readAllBytes(table.file());

        assertTrue(after.length > before.length);
        assertArrayEquals(before, Arrays.copyOf(after, before.length));
    }

    @Test
    void appendKeepsBytesOfHandFormattedRows() throws Exception {
        // A row written by another tool: number formats that this class would not write, no final line end.
        String text = String.join(",", RunsTable.HEADER) + "\n"
                + "\"mlp/fp32/seed2\",mlp,fp32,,32,32,,2,5,98.100,,,,1000,1.50,";
        Files.writeString(dir.resolve("runs.csv"), text);

        RunsTable.open(dir).append(FP32);
        String after = Files.readString(dir.resolve("runs.csv"));

        assertTrue(after.startsWith(text + "\n"), after);
        assertEquals(2, RunsTable.openExisting(dir).records().size());
        assertEquals(98.1, RunsTable.openExisting(dir).records().get(0).fp32Accuracy());
    }

    @Test
    void duplicateRunIdRejected() throws Exception {
        RunsTable table = RunsTable.open(dir);
        table.append(QAT);
        byte[] before = Files.readAllBytes(table.file());

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RunsTable.open(dir).append(QAT));

        assertTrue(error.getMessage().contains("cnn/qat/lsq/w4a4/pc/seed1"), error.getMessage());
        assertArrayEquals(before, Files.readAllBytes(table.file()));
    }

    @Test
    void isFinishedAfterAppend() {
        RunsTable table = RunsTable.open(dir);
        assertFalse(table.isFinished(QAT.runId()));

        table.append(QAT);

        assertTrue(table.isFinished(QAT.runId()));
        assertTrue(RunsTable.open(dir).isFinished(QAT.runId()));
        assertEquals(QAT, RunsTable.open(dir).find(QAT.runId()).orElseThrow());
    }

    @Test
    void emptyTableCreatesNoFile() {
        RunsTable.open(dir);

        assertFalse(Files.exists(dir.resolve("runs.csv")));
    }

    @Test
    void wrongHeaderRejectedAndFileUntouched() throws Exception {
        String text = "run_id,model,method\ncnn/fp32,cnn,fp32\n";
        assertCorrupted(text, "line 1", "header");
    }

    @Test
    void shortRowRejectedAndFileUntouched() throws Exception {
        String text = String.join(",", RunsTable.HEADER) + "\n"
                + "cnn/fp32/seed1,cnn,fp32,,32,32,,1,10,99.12,,,,400000,0.3,\n"
                + "cnn/fp32/seed2,cnn,fp32,,32,32\n";
        assertCorrupted(text, "line 3", "6 columns, expected 16");
    }

    @Test
    void nonNumericAccuracyRejectedAndFileUntouched() throws Exception {
        String text = String.join(",", RunsTable.HEADER) + "\n"
                + "\n"
                + "cnn/fp32/seed1,cnn,fp32,,32,32,,1,10,high,,,,400000,0.3,\n";
        assertCorrupted(text, "line 3", "fp32_acc: 'high' is not a number");
    }

    @Test
    void accuracyAboveHundredRejected() throws Exception {
        String text = String.join(",", RunsTable.HEADER) + "\n"
                + "cnn/fp32/seed1,cnn,fp32,,32,32,,1,10,991.2,,,,400000,0.3,\n";
        assertCorrupted(text, "line 2", "fp32_acc 991.2 is not a percentage");
    }

    @Test
    void duplicateRowInFileRejected() throws Exception {
        String row = "cnn/fp32/seed1,cnn,fp32,,32,32,,1,10,99.12,,,,400000,0.3,\n";
        assertCorrupted(String.join(",", RunsTable.HEADER) + "\n" + row + row, "line 3", "first on line 2");
    }

    @Test
    void unterminatedQuoteRejected() throws Exception {
        String text = String.join(",", RunsTable.HEADER) + "\n" + "\"cnn/fp32/seed1,cnn,fp32\n";
        assertCorrupted(text, "runs.csv", "cannot be parsed");
    }

    @Test
    void emptyFileRejected() throws Exception {
        assertCorrupted("", "line 1", "empty");
    }

    @Test
    void missingFileRejectedByOpenExisting() {
        ResultsFileException error = assertThrows(ResultsFileException.class, () -> RunsTable.openExisting(dir));

        assertTrue(error.getMessage().contains("runs.csv not found"), error.getMessage());
    }

    @Test
    void fileChangedByOtherWriterRejected() throws Exception {
        RunsTable table = RunsTable.open(dir);
        table.append(QAT);
        RunsTable.open(dir).append(FP32);
        byte[] before = Files.readAllBytes(table.file());

        RunRecord third = new RunRecord("cnn/fp32/seed3", "cnn", "fp32", "", 32, 32, "", 3, 10, 99.0, null, null, null, 1,
                1.0, "");
        ResultsFileException error = assertThrows(ResultsFileException.class, () -> table.append(third));

        assertTrue(error.getMessage().contains("changed by another process"), error.getMessage());
        assertArrayEquals(before, Files.readAllBytes(table.file()));
    }

    @Test
    void recordRejectsIntegerAccuracyWithoutAgreement() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new RunRecord("x", "cnn",
                "ptq", "minmax", 8, 8, "per-channel", 1, 0, 99.0, 98.0, 98.0, null, 1, 1.0, ""));

        assertTrue(error.getMessage().contains("agreement"), error.getMessage());
    }

    @Test
    void recordRejectsUnknownMethod() {
        assertThrows(IllegalArgumentException.class, () -> new RunRecord("x", "cnn", "awq", "", 8, 8, "", 1, 0, 99.0,
                null, null, null, 1, 1.0, ""));
    }

    private void assertCorrupted(String text, String expectedLine, String expectedProblem) throws Exception {
        Path file = dir.resolve("runs.csv");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> RunsTable.open(dir));

        String message = error.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains(expectedLine), message);
        assertTrue(message.contains(expectedProblem), message);
        assertTrue(message.contains("move the file away"), message);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }
}
