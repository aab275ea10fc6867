package org.qat4j.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.qat4j.datasets.DatasetException;
import org.qat4j.experiments.results.ResultsFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints errors caused by the user's input or files (a bad option value, a corrupt data file, a
 * results folder that cannot be written) as one line on standard error and exits with 1. Other
 * exceptions are program faults and keep their stack trace. Setting {@code QAT4J_DEBUG=1} shows the
 * stack trace of user errors too.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UserErrorHandler.class);
    static final int USER_ERROR_EXIT = 1;

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult)
            throws Exception {
        if (!isUserError(error)) {
            throw error;
        }
        String command = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(command + ": " + error.getMessage());
        commandLine.getErr().flush();
        if (System.getenv("QAT4J_DEBUG") != null) {
            LOG.error("{} failed", command, error);
        }
        return USER_ERROR_EXIT;
    }

    /** Returns true for errors whose message tells the user what to change. */
    static boolean isUserError(Throwable error) {
        return error instanceof DatasetException
                || error instanceof ResultsFileException
                || error instanceof IllegalArgumentException
                || error instanceof UncheckedIOException
                || error instanceof IOException
                || error instanceof UserInputException;
    }
}
