package dev.sparktrain.driver.exchange;

/** A worker's channel broke or its task failed in the middle of a block: the block must run again. */
public final class WorkerLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
