package dev.sparktrain.jobs.report;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps {@code report.html} up to date while a run trains: after every epoch it rewrites the report (charts, then the
 * page, each replaced atomically) as a live page that reloads itself; {@link #finish} writes the final, static one,
 * also when the run failed or was interrupted, so no page keeps reloading after its run is gone. Listeners run in
 * order: this one must come after the {@code metrics.jsonl} listener, which flushes the epoch's lines first.
 * A report that cannot be written costs one warning; training goes on.
 */
public final class LiveReport implements TrainingListener {

    private final Path runDir;
    private final Consumer<String> warn;
    private boolean warned;
    private boolean finished;

    private LiveReport(Path runDir, Consumer<String> warn) {
        this.runDir = runDir;
        this.warn = warn;
    }

    /** Starts watching {@code runDir}; {@code info} gets the line saying where the report is. */
    public static LiveReport start(Path runDir, Consumer<String> info, Consumer<String> warn) {
        info.accept("report: " + runDir.resolve(ReportWriter.REPORT_FILE).toAbsolutePath().normalize().toUri()
                + " (written after every epoch; open it in a browser, it reloads itself until the run ends)");
        return new LiveReport(runDir, warn);
    }

    @Override
    public synchronized void onEpoch(EpochMetrics metrics) {
        if (finished) {
            return;
        }
        try {
            ReportWriter.write(runDir, ReportStatus.live());
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                warn.accept("the live report " + runDir.resolve(ReportWriter.REPORT_FILE) + " could not be written ("
                        + e.getMessage() + "); training goes on");
            }
        }
    }

    /**
     * Writes the final report of a run that finished and stops the live one; returns the files written, the page
     * last. Errors propagate, as for any final record of a finished run.
     */
    public synchronized List<Path> finish() {
        finished = true;
        return ReportWriter.write(runDir, ReportStatus.finished());
    }

    /**
     * Makes the report of a run that did not finish ({@code status}: failed or interrupted) final and static. Does
     * nothing when there is nothing to report yet (no metrics), or when the report is already final; a report that
     * cannot be written costs one warning.
     */
    public synchronized void abandon(ReportStatus status) {
        if (finished) {
            return;
        }
        finished = true;
        if (!Files.isRegularFile(runDir.resolve(ReportWriter.METRICS_FILE))) {
            return;
        }
        try {
            ReportWriter.write(runDir, status);
        } catch (RuntimeException e) {
            warn.accept("the final report " + runDir.resolve(ReportWriter.REPORT_FILE) + " could not be written: "
                    + e.getMessage());
        }
    }
}
