package dev.sparktrain.jobs.tracking;

/**
 * A request to the tracking store failed. {@code retryable}: the server was unreachable, timed out or answered
 * 5xx/429, so the same request may succeed later; otherwise (a 4xx answer, a bad artifact location) it never will.
 */
class TrackingException extends RuntimeException {

    private final boolean retryable;
    private final boolean unreachable;

    TrackingException(String message, boolean retryable, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.unreachable = unreachable;
    }

    static TrackingException permanent(String message) {
        return new TrackingException(message, false, false, null);
    }

    boolean retryable() {
        return retryable;
    }

    /** No answer at all (connection refused, timed out): at the end of a run there is no point in waiting. */
    boolean unreachable() {
        return unreachable;
    }
}
