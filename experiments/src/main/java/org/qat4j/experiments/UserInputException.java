package org.qat4j.experiments;

/** An error in what the user asked for; the message says what is wrong and what to do. */
public final class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
