package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a name server cannot be reached or refuses a request for a reason other than a duplicate or unknown name.
 *
 * @since 0.1
 */
public final class NameServerException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public NameServerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public NameServerException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
