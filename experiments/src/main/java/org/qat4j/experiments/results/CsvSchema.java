package org.qat4j.experiments.results;

import java.util.List;

/**
 * The columns of one kind of results CSV file and the conversion between a row and a record.
 *
 * @param <R> the record type of one row
 */
public interface CsvSchema<R> {

    /** Column names, in file order; the first line of the file must match them exactly. */
    List<String> header();

    /** Cell texts of {@code record}, one per column, in header order. */
    List<String> toCells(R record);

    /** Parses one row; errors go through {@link CsvRow#fail} so they name the file and line. */
    R fromRow(CsvRow row);

    /** Unique key of a row: two rows with the same key are an error. */
    String key(R record);
}
