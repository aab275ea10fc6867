package org.qat4j.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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
        commandLine.getErr().println(command + ": " + describe(error));
        commandLine.getErr().flush();
        if (System.getenv("QAT4J_DEBUG") != null) {
            LOG.error("{} failed", command, error);
        }
        return USER_ERROR_EXIT;
    }

    /**
     * Returns the message of a user error. File-system errors carry only a path as their message,
     * so they get the reason and a hint in words.
     */
    static String describe(Exception error) {
        if (error instanceof FileAlreadyExistsException e) {
            return "cannot create " + e.getFile() + ": a file with that name is in the way of a folder or file to"
                    + " write; choose another --out or remove it";
        }
        if (error instanceof NotDirectoryException e) {
            return "cannot use " + e.getFile() + ": it is a file, not a folder; choose another --out";
        }
        if (error instanceof NoSuchFileException e) {
            return e.getFile() + " not found" + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        }
        if (error instanceof AccessDeniedException e) {
            return "permission denied for " + e.getFile() + "; choose another --out or change the permissions";
        }
        if (error instanceof FileSystemException e) {
            String target = e.getOtherFile() != null ? e.getOtherFile() : e.getFile();
            return "cannot write or read " + target + (e.getReason() == null ? "" : ": " + e.getReason())
                    + "; choose another --out";
        }
        return error.getMessage();
    }

    /** Returns true for errors whose message states what the user should change. */
    static boolean isUserError(Throwable error) {
        return error instanceof DatasetException
                || error instanceof ResultsFileException
                || error instanceof IllegalArgumentException
                || error instanceof UncheckedIOException
                || error instanceof IOException
                || error instanceof UserInputException;
    }
}
