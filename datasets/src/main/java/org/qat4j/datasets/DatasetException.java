package org.qat4j.datasets;

/**
 * A problem with a data set that the user can fix: a missing, truncated or altered file, a
 * data directory that cannot be used, or a fetch that failed. The message names the file or
 * value, what was expected and what to do, so the command line prints it without a stack trace.
 */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
