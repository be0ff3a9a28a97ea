package dev.sparktrain.driver;

/**
 * A request from outside (Ctrl-C) to stop training at the next round boundary. The trainer checks it before every
 * round and, when a block of rounds fails while it is set, stops instead of running the block again: a failure
 * that the stop itself caused (cancelled Spark jobs) is not a lost worker.
 */
public final class StopRequest {

    private volatile boolean requested;

    /** Asks training to stop; safe from any thread (a signal handler). */
    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    /** Throws {@link Interrupted} if a stop was requested; {@code epoch} and {@code round} (0-based) say where. */
    void check(int epoch, int round, Throwable cause) {
        if (requested) {
            throw new Interrupted(epoch, round, cause);
        }
    }

    /**
     * Training stopped on request before epoch {@code epoch}'s round {@code round} (0-based) was complete; a negative
     * round: after the last epoch.
     */
    public static final class Interrupted extends RuntimeException {

        private final int epoch;
        private final int round;

        public Interrupted(int epoch, int round, Throwable cause) {
            super(round < 0 ? "stopped after epoch " + epoch : "stopped in epoch " + epoch + " before round " + (round + 1),
                    cause);
            this.epoch = epoch;
            this.round = round;
        }

        public int epoch() {
            return epoch;
        }

        public int round() {
            return round;
        }
    }
}
