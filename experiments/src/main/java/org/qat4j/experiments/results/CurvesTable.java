package org.qat4j.experiments.results;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code curves.csv}: one row per epoch of training, keyed by run_id and epoch, written the same
 * atomic, append-only way as {@link RunsTable}.
 */
public final class CurvesTable {

    public static final String FILE_NAME = "curves.csv";

    static final List<String> HEADER = List.of("run_id", "model", "method", "wbits", "abits", "epoch", "train_loss",
            "train_acc", "test_acc", "learning_rate", "seconds");

    static final CsvSchema<CurveRecord> SCHEMA = new CsvSchema<>() {
        @Override
        public List<String> header() {
            return HEADER;
        }

        @Override
        public List<String> toCells(CurveRecord r) {
            return List.of(r.runId(), r.model(), r.method(), Integer.toString(r.weightBits()),
                    Integer.toString(r.activationBits()), Integer.toString(r.epoch()), Double.toString(r.trainLoss()),
                    Double.toString(r.trainAccuracy()), Double.toString(r.testAccuracy()),
                    Double.toString(r.learningRate()), Double.toString(r.seconds()));
        }

        @Override
        public CurveRecord fromRow(CsvRow row) {
            return new CurveRecord(row.nonEmptyText("run_id"), row.nonEmptyText("model"), row.nonEmptyText("method"),
                    row.integer("wbits"), row.integer("abits"), row.integer("epoch"), row.number("train_loss"),
                    row.number("train_acc"), row.number("test_acc"), row.number("learning_rate"),
                    row.number("seconds"));
        }

        @Override
        public String key(CurveRecord record) {
            return record.runId() + " epoch " + record.epoch();
        }
    };

    private final CsvTable<CurveRecord> table;

    private CurvesTable(CsvTable<CurveRecord> table) {
        this.table = table;
    }

    /** Loads {@code curves.csv} in {@code folder}, or starts an empty table when there is none yet. */
    public static CurvesTable open(Path folder) {
        return new CurvesTable(CsvTable.open(folder.resolve(FILE_NAME), SCHEMA));
    }

    public Path file() {
        return table.file();
    }

    public List<CurveRecord> records() {
        return table.records();
    }

    /**
     * Adds the row of a finished epoch and writes the file atomically.
     *
     * @throws IllegalArgumentException when the run already has a row for that epoch
     */
    public void append(CurveRecord record) {
        table.append(record);
    }

    /**
     * Removes the rows of a run that is started again after an interruption, so its epochs can be
     * appended anew. Rows of other runs keep their bytes. Call it only for runs without a row in
     * {@code runs.csv}.
     *
     * @return the number of rows removed
     */
    public int removeRun(String runId) {
        return table.removeIf(record -> record.runId().equals(runId));
    }
}
