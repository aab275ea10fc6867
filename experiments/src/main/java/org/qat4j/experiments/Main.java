package org.qat4j.experiments;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code qat4j} command line: one subcommand per job. */
@Command(name = "qat4j", mixinStandardHelpOptions = true, version = "qat4j 0.1.0",
        description = "Quantization-aware training and integer-only inference on the JVM.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int exitCode = new CommandLine(new Main()).execute(args);
        System.exit(exitCode);
    }
}
