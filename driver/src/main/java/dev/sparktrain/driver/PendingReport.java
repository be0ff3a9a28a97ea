package dev.sparktrain.driver;

/**
 * A round's report to the listeners (its metrics, with the update's norms measured as they are read), made at most
 * once: while the next round's workers compute ({@link dev.sparktrain.driver.modes.Round#run(
 * dev.sparktrain.driver.modes.RoundStrategy, dev.sparktrain.ps.ParameterServer,
 * dev.sparktrain.driver.modes.RoundSession, int, int, Runnable)}), or at the block's end, or before a failure
 * propagates, whichever comes first. Never after the server has changed again: the next round applies its update only
 * after its workers have answered, which is after the report.
 */
final class PendingReport implements Runnable {

    static final PendingReport NONE = new PendingReport(null);

    private Runnable report;

    PendingReport(Runnable report) {
        this.report = report;
    }

    /** Makes the report unless it was made already. */
    @Override
    public void run() {
        Runnable once = report;
        report = null;
        if (once != null) {
            once.run();
        }
    }

    /** Makes the report before {@code failure} propagates; a report that fails too is added to it. */
    void runBefore(Throwable failure) {
        try {
            run();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }
}
