package org.qat4j.qat.integer;

import java.io.IOException;

/** A model file that cannot be loaded: empty, truncated, altered, of another format or version. */
public final class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
