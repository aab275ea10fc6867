package org.qat4j.experiments;

/** An error in the user's request. The message states what is wrong and what to do. */
public final class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
