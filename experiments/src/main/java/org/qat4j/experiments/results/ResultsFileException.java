package org.qat4j.experiments.results;

/**
 * A results file or folder that cannot be used: a corrupted CSV file, a folder that cannot be
 * written, or a file changed by another process. The message names the file, the line when
 * there is one, the problem and what to do.
 */
public final class ResultsFileException extends RuntimeException {

    public ResultsFileException(String message) {
        super(message);
    }

    public ResultsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
