package dev.sparktrain.jobs.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a run is logged: a tracking server over MLflow's REST API ({@link RestMlflowStore}) or a local file store
 * in MLflow's own layout ({@link FileMlflowStore}). Calls block; {@link TrackingQueue} makes them from its own
 * thread. Failures throw {@link TrackingException}, which says whether trying again may help.
 */
interface MlflowStore {

    /** Finds or creates {@code experiment} and starts a run in it. */
    RunRef createRun(String experiment, String runName, long startMillis, Map<String, String> tags);

    /** The run {@code runId}, set back to running (a resumed run). */
    RunRef reopenRun(String runId);

    /** Logs metrics, params and tags; each list within MLflow's batch limits ({@link MlflowLimits}). */
    void logBatch(RunRef run, List<Metric> metrics, Map<String, String> params, Map<String, String> tags);

    /** Stores {@code file} as the run's artifact {@code artifactPath} ({@code model/params.npy}). */
    void logArtifact(RunRef run, String artifactPath, Path file);

    /** The highest step logged for metric {@code key} in the run, or -1 when it has none. */
    long lastStep(RunRef run, String key);

    /** Ends the run with {@code status} (FINISHED, FAILED or KILLED). */
    void endRun(RunRef run, String status, long endMillis);

    /** A run as the store knows it. */
    record RunRef(String experimentId, String runId, String artifactUri) {
    }

    /** One metric value at a step. */
    record Metric(String key, double value, long timestampMillis, long step) {
    }
}
