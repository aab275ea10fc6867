package org.qat4j.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A results CSV file that grows one row at a time.
 *
 * <p>Loading checks the header and parses every row, so a corrupted file is reported (file, line,
 * problem) before any work and is never overwritten. Appending writes the whole file to a
 * temporary file and renames it over the old one. The bytes of rows already in the file are copied
 * unchanged, so a finished row is never rewritten. A row whose key is already present is rejected.
 *
 * @param <R> the record type of one row
 */
public final class CsvTable<R> {

    /** RFC 4180 quoting with Unix line ends. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private static final Logger log = LoggerFactory.getLogger(CsvTable.class);

    private final Path file;
    private final CsvSchema<R> schema;
    private final List<R> records = new ArrayList<>();
    /** Text of each row as it is in the file, line end included, parallel to {@link #records}. */
    private final List<String> rowTexts = new ArrayList<>();
    private final Map<String, R> byKey = new HashMap<>();
    private String headerText;
    /** The file content this table was loaded from or last wrote; null while the file does not exist. */
    private String diskText;

    private CsvTable(Path file, CsvSchema<R> schema) {
        this.file = file;
        this.schema = schema;
    }

    /** Loads {@code file}, or starts an empty table when it does not exist (it is created on the first append). */
    public static <R> CsvTable<R> open(Path file, CsvSchema<R> schema) {
        CsvTable<R> table = new CsvTable<>(file, schema);
        if (Files.exists(file)) {
            table.load(readText(file));
            log.info("Loaded {} rows from {}", table.records.size(), file);
        } else {
            table.headerText = formatLine(schema.header());
        }
        return table;
    }

    /** Loads {@code file}, which must exist. */
    public static <R> CsvTable<R> openExisting(Path file, CsvSchema<R> schema) {
        if (!Files.isRegularFile(file)) {
            throw new ResultsFileException(file + " not found: run the experiments first, or point to the folder that contains "
                    + file.getFileName() + ".");
        }
        return open(file, schema);
    }

    public Path file() {
        return file;
    }

    /** Returns the rows in file order, as an unmodifiable copy. */
    public synchronized List<R> records() {
        return Collections.unmodifiableList(new ArrayList<>(records));
    }

    public synchronized boolean containsKey(String key) {
        return byKey.containsKey(key);
    }

    public synchronized R get(String key) {
        return byKey.get(key);
    }

    /** Appends one row and writes the file atomically. */
    public synchronized void append(R record) {
        appendAll(List.of(record));
    }

    /** Appends rows in one atomic write: either all of them reach the file or none does. */
    public synchronized void appendAll(List<R> newRecords) {
        Map<String, R> newKeys = new LinkedHashMap<>();
        for (R record : newRecords) {
            String key = schema.key(Objects.requireNonNull(record, "record"));
            if (byKey.containsKey(key) || newKeys.containsKey(key)) {
                throw new IllegalArgumentException("Row '" + key + "' is already in " + file
                        + ": a finished row is never rewritten. Delete that line by hand to run it again.");
            }
            newKeys.put(key, record);
        }
        checkUnchangedOnDisk();

        List<String> newTexts = new ArrayList<>();
        for (R record : newRecords) {
            newTexts.add(formatLine(schema.toCells(record)));
        }
        StringBuilder content = new StringBuilder(diskText == null ? headerText : diskText);
        if (content.length() > 0 && content.charAt(content.length() - 1) != '\n') {
            content.append('\n');
            if (!rowTexts.isEmpty()) {
                rowTexts.set(rowTexts.size() - 1, rowTexts.get(rowTexts.size() - 1) + "\n");
            }
        }
        newTexts.forEach(content::append);
        writeFile(content.toString());

        records.addAll(newRecords);
        rowTexts.addAll(newTexts);
        byKey.putAll(newKeys);
    }

    /**
     * Removes the rows that match and writes the file atomically; the other rows keep their
     * bytes. Meant for rows of an unfinished run that is being started again.
     *
     * @return the number of rows removed
     */
    public synchronized int removeIf(Predicate<R> filter) {
        checkUnchangedOnDisk();
        StringBuilder content = new StringBuilder(headerText);
        List<R> keptRecords = new ArrayList<>();
        List<String> keptTexts = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (!filter.test(records.get(i))) {
                keptRecords.add(records.get(i));
                keptTexts.add(rowTexts.get(i));
                content.append(rowTexts.get(i));
            }
        }
        int removed = records.size() - keptRecords.size();
        if (removed == 0) {
            return 0;
        }
        writeFile(content.toString());

        records.clear();
        records.addAll(keptRecords);
        rowTexts.clear();
        rowTexts.addAll(keptTexts);
        byKey.clear();
        for (R record : records) {
            byKey.put(schema.key(record), record);
        }
        return removed;
    }

    private void load(String text) {
        if (text.isEmpty()) {
            throw new ResultsFileException(CsvRow.describe(file, 1, "the file is empty, expected the header "
                    + String.join(",", schema.header())));
        }
        List<String> header = schema.header();
        Map<String, Integer> columnIndex = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columnIndex.put(header.get(i), i);
        }

        List<CSVRecord> parsed = parse(text);
        long[] lines = lineNumbers(text, parsed);
        CSVRecord headerRecord = parsed.get(0);
        if (!headerRecord.toList().equals(header)) {
            throw new ResultsFileException(CsvRow.describe(file, lines[0], "the header is "
                    + String.join(",", headerRecord.toList()) + " but expected " + String.join(",", header)));
        }
        headerText = text.substring(0, parsed.size() > 1 ? (int) parsed.get(1).getCharacterPosition() : text.length());

        Map<String, Long> keyLines = new HashMap<>();
        for (int i = 1; i < parsed.size(); i++) {
            CSVRecord record = parsed.get(i);
            CsvRow row = new CsvRow(file, lines[i], columnIndex, record.toList());
            if (record.size() != header.size()) {
                throw row.fail("the row has " + record.size() + " columns, expected " + header.size()
                        + " (file cut short, or a value with an unquoted comma?)");
            }
            R value;
            try {
                value = schema.fromRow(row);
            } catch (IllegalArgumentException e) {
                throw row.fail(e.getMessage());
            }
            String key = schema.key(value);
            Long firstLine = keyLines.putIfAbsent(key, lines[i]);
            if (firstLine != null) {
                throw row.fail("row '" + key + "' appears again (first on line " + firstLine + ")");
            }
            int end = i + 1 < parsed.size() ? (int) parsed.get(i + 1).getCharacterPosition() : text.length();
            records.add(value);
            rowTexts.add(text.substring((int) record.getCharacterPosition(), end));
            byKey.put(key, value);
        }
        diskText = text;
    }

    private List<CSVRecord> parse(String text) {
        CSVParser parser = null;
        try {
            parser = CSVParser.parse(text, FORMAT);
            return parser.getRecords();
        } catch (IOException | UncheckedIOException e) {
            long line = parser == null ? 1 : parser.getCurrentLineNumber() + 1;
            throw new ResultsFileException(CsvRow.describe(file, line, "the CSV text cannot be parsed (" + e.getMessage() + ")"), e);
        } finally {
            closeQuietly(parser);
        }
    }

    private static void closeQuietly(CSVParser parser) {
        if (parser == null) {
            return;
        }
        try {
            parser.close();
        } catch (IOException e) {
            log.debug("Closing a CSV parser over a string failed", e);
        }
    }

    /** Line number (1-based) of the first character of each record. */
    private static long[] lineNumbers(String text, List<CSVRecord> parsed) {
        long[] lines = new long[parsed.size()];
        long line = 1;
        int position = 0;
        for (int i = 0; i < parsed.size(); i++) {
            int start = (int) parsed.get(i).getCharacterPosition();
            // The parser reports the position where it began reading, before any skipped empty lines.
            while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
                start++;
            }
            for (; position < start; position++) {
                if (text.charAt(position) == '\n') {
                    line++;
                }
            }
            lines[i] = line;
        }
        return lines;
    }

    private void checkUnchangedOnDisk() {
        String current = Files.exists(file) ? readText(file) : null;
        if (!Objects.equals(current, diskText)) {
            throw new ResultsFileException(file + " was changed by another process after it was loaded; "
                    + "nothing was written. Make sure only one run writes to this results folder, then run again.");
        }
    }

    private void writeFile(String content) {
        try {
            AtomicFiles.writeString(file, content);
        } catch (IOException e) {
            throw new ResultsFileException("Writing " + file + " failed (" + e + "); the previous content is unchanged. "
                    + "Check free disk space and permissions of the results folder.", e);
        }
        diskText = content;
        log.debug("Wrote {} ({} rows)", file, records.size());
    }

    private static String readText(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ResultsFileException(CsvRow.describe(file, 1, "the file is not UTF-8 text"), e);
        } catch (IOException e) {
            throw new ResultsFileException("Reading " + file + " failed: " + e, e);
        }
    }

    static String formatLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(line, FORMAT)) {
            printer.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException("Formatting a CSV row in memory failed", e);
        }
        return line.toString();
    }
}
