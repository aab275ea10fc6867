package org.qat4j.experiments;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code qat4j} command line: one subcommand per job. */
@Command(name = "qat4j", mixinStandardHelpOptions = true, version = "qat4j 0.1.0",
        description = "Quantization-aware training and integer-only inference on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TrainCommand.class, PlotCommand.class,
                QuantizeCommand.Ptq.class, QuantizeCommand.Qat.class, ReproduceCommand.class,
                ExportCommand.class, InferCommand.class, InspectCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Creates the command line with the handler that reports user errors as one line. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine;
    }
}
