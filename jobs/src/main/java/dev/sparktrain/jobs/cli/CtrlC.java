package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.StopRequest;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the first Ctrl-C (SIGINT) of a training run into a {@link StopRequest}: the trainer stops at the next
 * round, the command tidies up (the run directory, the old run of {@code --overwrite}) and exits with 130. Without
 * it the JVM would start shutting down at once, stop the SparkContext under the running round, and the trainer
 * would take the cancelled round for a lost worker. A second Ctrl-C does what the first would have done without
 * this: the JVM exits at once.
 */
final class CtrlC implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;
    private final AtomicReference<Runnable> onStop = new AtomicReference<>(() -> { });

    private CtrlC(StopRequest stop) {
        SignalHandler installed = null;
        try {
            installed = Signal.handle(INT, signal -> {
                if (stop.isRequested()) {
                    chainTo(signal);
                    return;
                }
                stop.request();
                onStop.get().run();
            });
        } catch (IllegalArgumentException e) {
            // the JVM was started with -Xrs or the signal is reserved here: Ctrl-C keeps its default meaning
        }
        this.previous = installed;
    }

    /** Handles Ctrl-C for a training run until {@link #close()}. */
    static CtrlC stops(StopRequest stop) {
        return new CtrlC(stop);
    }

    /** Also runs {@code action} (on the signal's thread) at the first Ctrl-C, e.g. to cancel a long Spark job. */
    void alsoOnStop(Runnable action) {
        onStop.set(action);
    }

    private void chainTo(Signal signal) {
        if (previous == null || previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
            System.exit(SparkTrain.EXIT_INTERRUPTED);
        } else {
            previous.handle(signal);
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(INT, previous);
        }
    }
}
