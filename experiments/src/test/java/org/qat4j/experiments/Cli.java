package org.qat4j.experiments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/**
 * Runs the {@code qat4j} command line in this JVM and captures what it prints. Some commands print
 * their results with {@code System.out}, so standard output is redirected during the run as well.
 */
public final class Cli {

    /** Exit code and captured output of one run. */
    public record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exitCode;
        synchronized (Cli.class) {
            System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
            try {
                exitCode = commandLine.execute(args);
            } finally {
                System.out.flush();
                System.setOut(saved);
            }
        }
        return new Result(exitCode, out + systemOut.toString(StandardCharsets.UTF_8), err.toString());
    }
}
