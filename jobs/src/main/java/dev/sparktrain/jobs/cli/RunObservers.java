package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.report.LiveReport;
import dev.sparktrain.jobs.report.ReportStatus;
import dev.sparktrain.jobs.run.RunDirectory;
import dev.sparktrain.jobs.tracking.MlflowRun;
import dev.sparktrain.jobs.tracking.RunArtifacts;
import dev.sparktrain.jobs.tracking.RunTags;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What watches a {@code train} run from outside the maths: the live report and, when configured, the MLflow run.
 * Both end the same way however the run ends: {@link #finished} (final report, artifacts, FINISHED), {@link #ended}
 * (static report saying so, FAILED; KILLED after Ctrl-C) or, on a kill, a shutdown hook (static report, KILLED), so no
 * report keeps reloading and no MLflow run stays RUNNING after its run is gone.
 */
final class RunObservers implements AutoCloseable {

    /** The most an interrupted run waits for MLflow before the JVM exits. */
    private static final double INTERRUPTED_WAIT_SECONDS = 10;

    private final RunConfig run;
    private final Path runDir;
    private final LiveReport report;
    private final PrintStream out;
    private final PrintStream err;
    private MlflowRun mlflow;
    private final Thread hook = new Thread(this::interrupted, "sparktrain-run-end");

    private RunObservers(RunConfig run, Path runDir, PrintStream out, PrintStream err) {
        this.run = run;
        this.runDir = runDir;
        this.out = out;
        this.err = err;
        this.report = LiveReport.start(runDir, out::println, line -> err.println("warning: " + line));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Says where the live report is and watches for an interrupted run. */
    static RunObservers start(RunConfig run, RunDirectory dir, PrintStream out, PrintStream err) {
        return new RunObservers(run, dir.root(), out, err);
    }

    /** Starts logging to MLflow when the config asks for it (the Spark master is known once Spark runs). */
    void startTracking(ConfigTree tree, boolean resuming, String sparkMaster) {
        if (run.mlflow() == null) {
            return;
        }
        String name = runDir.toAbsolutePath().normalize().getFileName().toString();
        mlflow = MlflowRun.start(run.mlflow(), new MlflowRun.Context(run.name(), name,
                MlflowRun.configParams(tree.root()), RunTags.of(run.training(), sparkMaster, "sparktrain train"),
                runDir, resuming), new MlflowRun.Sink() {
                    @Override
                    public void info(String line) {
                        out.println(line);
                    }

                    @Override
                    public void warn(String line) {
                        err.println("warning: " + line);
                    }
                });
    }

    /** The listeners to add after the metrics file's (which flushes each epoch before the report reads it). */
    List<TrainingListener> listeners() {
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(report);
        if (mlflow != null) {
            listeners.add(mlflow);
        }
        return listeners;
    }

    /** The run finished: the final report (returned, the page last), then everything to MLflow. */
    List<Path> finished() {
        List<Path> written = report.finish();
        if (mlflow != null) {
            mlflow.finish("FINISHED", RunArtifacts.of(runDir, run.mlflow().logModel()));
        }
        return written;
    }

    /**
     * The run ended early with {@code error}: a static report saying so, and the MLflow run FAILED, or KILLED when
     * it was {@code stopped} (Ctrl-C) or the JVM is shutting down (a kill: Spark's own shutdown hook stops its
     * context under the training thread; hooks run in no set order).
     */
    void ended(Throwable error, boolean stopped) {
        if (stopped || shuttingDown()) {
            interrupted();
            return;
        }
        report.abandon(ReportStatus.failed(error.getMessage() == null ? error.toString() : error.getMessage()));
        if (mlflow != null) {
            mlflow.finish("FAILED", RunArtifacts.of(runDir, false));
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private void interrupted() {
        report.abandon(ReportStatus.interrupted());
        if (mlflow != null && !mlflow.finished()) {
            mlflow.finish("KILLED", RunArtifacts.of(runDir, false), INTERRUPTED_WAIT_SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs
        }
    }
}
