package org.qat4j.experiments.results;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One data row of a results CSV file being loaded, with typed getters whose errors name the
 * file, the line, the column and the value.
 */
public final class CsvRow {

    private final Path file;
    private final long line;
    private final Map<String, Integer> columnIndex;
    private final List<String> cells;

    CsvRow(Path file, long line, Map<String, Integer> columnIndex, List<String> cells) {
        this.file = file;
        this.line = line;
        this.columnIndex = columnIndex;
        this.cells = cells;
    }

    /** Line number in the file, 1 for the header. */
    public long line() {
        return line;
    }

    /** Text of a cell, as written. */
    public String text(String column) {
        Integer index = columnIndex.get(column);
        if (index == null) {
            throw new IllegalArgumentException("No column '" + column + "' in " + file.getFileName());
        }
        return cells.get(index);
    }

    /** Text of a cell that must not be empty. */
    public String nonEmptyText(String column) {
        String value = text(column);
        if (value.isEmpty()) {
            throw fail("column " + column + " is empty");
        }
        return value;
    }

    public int integer(String column) {
        String value = text(column);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw fail("column " + column + ": '" + value + "' is not an integer");
        }
    }

    public long longInteger(String column) {
        String value = text(column);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw fail("column " + column + ": '" + value + "' is not an integer");
        }
    }

    /** Parses a number. "NaN" and "Infinity" are accepted, so callers that reject them check the value. */
    public double number(String column) {
        String value = text(column);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw fail("column " + column + ": '" + value + "' is not a number");
        }
    }

    /** Parses a number, or returns null when the cell is empty. */
    public Double optionalNumber(String column) {
        return text(column).isEmpty() ? null : number(column);
    }

    /**
     * Builds the exception for a problem in this row: file, line, problem and what to do.
     * Callers throw the result.
     */
    public ResultsFileException fail(String problem) {
        return new ResultsFileException(describe(file, line, problem));
    }

    static String describe(Path file, long line, String problem) {
        return file + " line " + line + ": " + problem + ". The file was left unchanged: fix that line, "
                + "or move the file away (for example to " + file.getFileName() + ".bad) and run again "
                + "(runs without a row are then run again).";
    }
}
