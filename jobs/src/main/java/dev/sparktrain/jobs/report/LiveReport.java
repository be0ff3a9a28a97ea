package dev.sparktrain.jobs.report;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps {@code report.html} up to date while a run trains: after every epoch the report is rewritten (charts, then
 * the page, each replaced atomically) as a live page that reloads itself; {@link #finish} writes the final, static
 * one, and {@link #abandon} a static one for a run that failed or was interrupted, so no page keeps reloading after
 * its run is gone. Drawing the charts takes seconds on a long run, so live reports are written by a thread of
 * their own, never the training thread: an epoch only asks for one, and asks made while one is being written come
 * to one more write. This listener must come after the {@code metrics.jsonl} listener, which flushes each epoch's
 * lines before the epoch's listeners run. A live report that cannot be written costs one warning; training goes on.
 */
public final class LiveReport implements TrainingListener {

    private final Path runDir;
    private final Consumer<String> warn;
    private final Thread writer;
    private boolean requested;
    private boolean stopped;
    private boolean warned;

    private LiveReport(Path runDir, Consumer<String> warn) {
        this.runDir = runDir;
        this.warn = warn;
        this.writer = new Thread(this::writeWhenAsked, "sparktrain-live-report");
        writer.setDaemon(true);
        writer.start();
    }

    /** Starts watching {@code runDir}; {@code info} gets the line saying where the report is. */
    public static LiveReport start(Path runDir, Consumer<String> info, Consumer<String> warn) {
        info.accept("report: " + runDir.resolve(ReportWriter.REPORT_FILE).toAbsolutePath().normalize().toUri()
                + " (written after every epoch; open it in a browser, it reloads itself until the run ends)");
        return new LiveReport(runDir, warn);
    }

    @Override
    public synchronized void onEpoch(EpochMetrics metrics) {
        if (!stopped) {
            requested = true;
            notifyAll();
        }
    }

    /**
     * Writes the final report of a run that finished, after any live one being written; returns the files written,
     * the page last. Errors propagate, as for any final record of a finished run.
     */
    public List<Path> finish() {
        stopWriter();
        return ReportWriter.write(runDir, ReportStatus.finished());
    }

    /**
     * Makes the report of a run that did not finish ({@code status}: failed or interrupted) final and static. Does
     * nothing when there is nothing to report yet (no metrics) or when the report is already final; a report that
     * cannot be written costs one warning.
     */
    public void abandon(ReportStatus status) {
        if (!stopWriter() || !Files.isRegularFile(runDir.resolve(ReportWriter.METRICS_FILE))) {
            return;
        }
        try {
            ReportWriter.write(runDir, status);
        } catch (RuntimeException e) {
            warn.accept("the final report " + runDir.resolve(ReportWriter.REPORT_FILE) + " could not be written: "
                    + e.getMessage());
        }
    }

    /** Stops live writing and waits for a write in progress; false if it was already stopped. */
    private boolean stopWriter() {
        synchronized (this) {
            if (stopped) {
                return false;
            }
            stopped = true;
            notifyAll();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private void writeWhenAsked() {
        while (true) {
            synchronized (this) {
                while (!requested && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                requested = false;
            }
            try {
                ReportWriter.write(runDir, ReportStatus.live());
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    warn.accept("the live report " + runDir.resolve(ReportWriter.REPORT_FILE)
                            + " could not be written (" + e.getMessage() + "); training goes on");
                }
            }
        }
    }
}
