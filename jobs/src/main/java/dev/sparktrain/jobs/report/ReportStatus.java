package dev.sparktrain.jobs.report;

/**
 * Where the run stood when its report was written. A {@link #live} report reloads itself in the browser every
 * {@code reloadSeconds} (a meta refresh: no script, no network, works from {@code file://}); every other state is
 * the final, static report, with a line saying how the run ended when it did not finish.
 *
 * @param state         how the run stands
 * @param detail        what ended it ({@code FAILED}: the error), or empty
 * @param reloadSeconds seconds between reloads of a live report; 0 otherwise
 */
public record ReportStatus(State state, String detail, int reloadSeconds) {

    public enum State { LIVE, FINISHED, FAILED, INTERRUPTED }

    /** Seconds between reloads of a live report: often enough to watch, rare enough not to flicker while reading. */
    public static final int RELOAD_SECONDS = 10;

    public ReportStatus {
        if (state == null) {
            throw new IllegalArgumentException("state must be set");
        }
        detail = detail == null ? "" : detail;
        if ((state == State.LIVE) != (reloadSeconds > 0)) {
            throw new IllegalArgumentException("a live report reloads, a final one does not; got " + state
                    + " with reloadSeconds " + reloadSeconds);
        }
    }

    public static ReportStatus live() {
        return new ReportStatus(State.LIVE, "", RELOAD_SECONDS);
    }

    public static ReportStatus finished() {
        return new ReportStatus(State.FINISHED, "", 0);
    }

    public static ReportStatus failed(String error) {
        return new ReportStatus(State.FAILED, error, 0);
    }

    public static ReportStatus interrupted() {
        return new ReportStatus(State.INTERRUPTED, "", 0);
    }

    public boolean isLive() {
        return state == State.LIVE;
    }
}
