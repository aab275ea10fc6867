package org.qat4j.experiments.results;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code runs.csv}: one row per finished run, keyed by {@code run_id}. An interrupted sweep
 * resumes by skipping the runs whose id is already here; see {@link CsvTable} for the atomic,
 * append-only writing.
 */
public final class RunsTable {

    public static final String FILE_NAME = "runs.csv";

    static final List<String> HEADER = List.of("run_id", "model", "method", "range", "wbits", "abits", "granularity",
            "seed", "epochs", "fp32_acc", "fakequant_acc", "integer_acc", "agreement", "model_bytes",
            "train_seconds", "model_file");

    static final CsvSchema<RunRecord> SCHEMA = new CsvSchema<>() {
        @Override
        public List<String> header() {
            return HEADER;
        }

        @Override
        public List<String> toCells(RunRecord r) {
            return List.of(r.runId(), r.model(), r.method(), r.range(), Integer.toString(r.weightBits()),
                    Integer.toString(r.activationBits()), r.granularity(), Long.toString(r.seed()),
                    Integer.toString(r.epochs()), Double.toString(r.fp32Accuracy()), optional(r.fakeQuantAccuracy()),
                    optional(r.integerAccuracy()), optional(r.agreement()), Long.toString(r.modelBytes()),
                    Double.toString(r.trainSeconds()), r.modelFile());
        }

        @Override
        public RunRecord fromRow(CsvRow row) {
            return new RunRecord(row.nonEmptyText("run_id"), row.nonEmptyText("model"), row.nonEmptyText("method"),
                    row.text("range"), row.integer("wbits"), row.integer("abits"), row.text("granularity"),
                    row.longInteger("seed"), row.integer("epochs"), row.number("fp32_acc"),
                    row.optionalNumber("fakequant_acc"), row.optionalNumber("integer_acc"),
                    row.optionalNumber("agreement"), row.longInteger("model_bytes"), row.number("train_seconds"),
                    row.text("model_file"));
        }

        @Override
        public String key(RunRecord record) {
            return record.runId();
        }
    };

    private final CsvTable<RunRecord> table;

    private RunsTable(CsvTable<RunRecord> table) {
        this.table = table;
    }

    /** Loads {@code runs.csv} in {@code folder}, or starts an empty table when there is none yet. */
    public static RunsTable open(Path folder) {
        return new RunsTable(CsvTable.open(folder.resolve(FILE_NAME), SCHEMA));
    }

    /** Loads {@code runs.csv} in {@code folder}; it must exist. */
    public static RunsTable openExisting(Path folder) {
        return new RunsTable(CsvTable.openExisting(folder.resolve(FILE_NAME), SCHEMA));
    }

    public Path file() {
        return table.file();
    }

    public List<RunRecord> records() {
        return table.records();
    }

    /** True when the run has finished in an earlier or in this session. */
    public boolean isFinished(String runId) {
        return table.containsKey(runId);
    }

    public Optional<RunRecord> find(String runId) {
        return Optional.ofNullable(table.get(runId));
    }

    /**
     * Adds a finished run and writes the file atomically.
     *
     * @throws IllegalArgumentException when a row with the same run_id exists
     */
    public void append(RunRecord record) {
        table.append(record);
    }

    static String optional(Double value) {
        return value == null ? "" : Double.toString(value);
    }
}
