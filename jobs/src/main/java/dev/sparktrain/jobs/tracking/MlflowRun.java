package dev.sparktrain.jobs.tracking;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.MlflowConfig;
import dev.sparktrain.jobs.tracking.MlflowStore.Metric;
import dev.sparktrain.jobs.tracking.MlflowStore.RunRef;
import dev.sparktrain.jobs.tracking.TrackingQueue.Kind;
import dev.sparktrain.jobs.tracking.TrackingQueue.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Logs one training run to MLflow as a {@link TrainingListener}: the resolved config as params and the run's tags
 * when it starts, {@code round/*} metrics every {@code log_every_rounds} rounds (step: the round's number counted from
 * the start of training) and {@code epoch/*} metrics every epoch (step: the epoch), and at {@link #finish} the
 * artifacts and the run's end status. Everything goes through a {@link TrackingQueue}, so a slow or dead tracking
 * server costs the round loop nothing: the failure is one warning line, and {@link #finish} names what was not sent.
 *
 * <p>With a run directory, the run's id is kept in its {@code mlflow-run.json}, and a resumed run continues the same
 * MLflow run; rounds repeated after the last checkpoint (bitwise the same values) are not logged twice.
 */
public final class MlflowRun implements TrainingListener {

    /** Where messages go: {@code info} lines (the run's link, the summary) and warnings. */
    public interface Sink {
        void info(String line);

        void warn(String line);
    }

    /**
     * What to log about the run besides its metrics.
     *
     * @param experiment experiment used when {@code tracking.mlflow.experiment} is not set
     * @param runName    run name used when {@code tracking.mlflow.run_name} is not set
     * @param params     the run's params (flattened config, {@link #configParams})
     * @param tags       the run's own tags; the config's {@code tracking.mlflow.tags} are added
     * @param runDir     the run directory that keeps the run id, or null (Spark ML {@code fit})
     * @param resume     continue the MLflow run recorded in {@code runDir}
     */
    public record Context(String experiment, String runName, Map<String, String> params, Map<String, String> tags,
                          Path runDir, boolean resume) {
    }

    private static final String ROUND = "round/";
    private static final String EPOCH = "epoch/";
    private static final long FLUSH_MILLIS = 5000;

    private final MlflowConfig config;
    private final MlflowStore store;
    private final TrackingQueue queue;
    private final Sink sink;
    private final List<Metric> pending = new ArrayList<>();
    private long lastFlush = System.currentTimeMillis();
    /** Steps up to these were logged before a resume; set when the run is reopened. */
    private volatile long loggedRounds = -1;
    private volatile long loggedEpochs = -1;
    private final String experiment;
    private boolean finished;

    private MlflowRun(MlflowConfig config, MlflowStore store, Context context, Sink sink) {
        this.config = config;
        this.store = store;
        this.sink = sink;
        this.experiment = config.experiment() != null ? config.experiment() : context.experiment();
        String runName = config.runName() != null ? config.runName() : context.runName();
        Map<String, String> tags = new LinkedHashMap<>(context.tags());
        config.tags().forEach((k, v) -> tags.put(MlflowLimits.key(k), MlflowLimits.tagValue(v)));
        Optional<RunRecord> earlier = context.resume() && context.runDir() != null
                ? RunRecord.read(context.runDir()) : Optional.empty();
        String resumeId = earlier.filter(r -> r.trackingUri().equals(config.uri())).map(RunRecord::runId).orElse(null);
        if (context.resume() && resumeId == null) {
            sink.info("mlflow: " + (earlier.isPresent() ? "the run directory was logged to " + earlier.get().trackingUri()
                    : "no MLflow run is recorded in the run directory") + "; the resumed run is logged as a new run");
        }
        long start = System.currentTimeMillis();
        this.queue = new TrackingQueue("sparktrain-mlflow", () -> {
            if (resumeId == null) {
                return store.createRun(experiment, runName, start, tags);
            }
            RunRef ref = store.reopenRun(resumeId);
            loggedRounds = store.lastStep(ref, ROUND + "loss");
            loggedEpochs = store.lastStep(ref, EPOCH + "train_loss");
            return ref;
        }, ref -> opened(ref, context.runDir()), config.queueSize(),
                message -> sink.warn("mlflow: " + message + "; training goes on without waiting for "
                        + config.uri() + ", and what is not sent is listed at the end"));
        if (resumeId != null) {
            // A reopened run keeps its tags; this attempt's (Spark master, version) replace them. Its params are sent
            // again below: MLflow accepts an unchanged value, and refuses a changed one (listed at the end).
            submitBatch(Kind.TAGS, tags.size(), Map.of(), tags);
        }
        List<Map.Entry<String, String>> params = new ArrayList<>(context.params().entrySet());
        for (List<Map.Entry<String, String>> slice : MlflowLimits.slices(params, MlflowLimits.MAX_PARAMS_PER_BATCH)) {
            Map<String, String> batch = new LinkedHashMap<>();
            slice.forEach(e -> batch.put(e.getKey(), e.getValue()));
            submitBatch(Kind.PARAMS, batch.size(), batch, Map.of());
        }
    }

    /**
     * Starts logging: the run is created (or reopened) by the background sender, never on this thread.
     *
     * @throws IllegalArgumentException when {@code mlflow-run.json} cannot be read
     */
    public static MlflowRun start(MlflowConfig config, Context context, Sink sink) {
        MlflowStore store = config.isFileStore() ? new FileMlflowStore(config.uri())
                : new RestMlflowStore(config.uri(), Duration.ofMillis((long) (config.timeoutSeconds() * 1000)),
                System.getenv());
        return new MlflowRun(config, store, context, sink);
    }

    /** A resolved config tree as MLflow params, without the {@code tracking} section. */
    public static Map<String, String> configParams(Map<String, Object> tree) {
        return ConfigParams.flatten(tree);
    }

    @Override
    public synchronized void onRound(RoundMetrics m) {
        long step = (long) (m.epoch() - 1) * m.rounds() + m.round() + 1;
        if (finished || step % config.logEveryRounds() != 0) {
            return;
        }
        long now = System.currentTimeMillis();
        add(ROUND + "loss", m.loss(), now, step);
        add(ROUND + "learning_rate", m.learningRate(), now, step);
        add(ROUND + "gradient_norm", m.gradientNorm(), now, step);
        add(ROUND + "update_norm", m.updateNorm(), now, step);
        add(ROUND + "update_ratio", m.updateRatio(), now, step);
        add(ROUND + "samples_per_second", m.seconds() > 0 ? m.samples() / m.seconds() : Double.NaN, now, step);
        add(ROUND + "seconds", m.seconds(), now, step);
        if (pending.size() >= MlflowLimits.MAX_METRICS_PER_BATCH - 10 || now - lastFlush >= FLUSH_MILLIS) {
            flush();
        }
    }

    @Override
    public synchronized void onEpoch(EpochMetrics m) {
        if (finished) {
            return;
        }
        long now = System.currentTimeMillis();
        add(EPOCH + "train_loss", m.trainLoss(), now, m.epoch());
        add(EPOCH + "test_loss", m.testLoss(), now, m.epoch());
        add(EPOCH + "test_accuracy", m.testAccuracy(), now, m.epoch());
        add(EPOCH + "samples_per_second", m.samplesPerSecond(), now, m.epoch());
        add(EPOCH + "train_seconds", m.trainSeconds(), now, m.epoch());
        add(EPOCH + "eval_seconds", m.evalSeconds(), now, m.epoch());
        flush();
    }

    /**
     * Ends the run: sends {@code artifacts} (artifact path to local file, in order) and {@code status}
     * ({@code FINISHED}, {@code FAILED} or {@code KILLED}), waits for the queue as {@code finish_timeout_seconds}
     * allows, and reports: a summary line, or one line naming what was not sent. Later calls do nothing.
     */
    public void finish(String status, Map<String, Path> artifacts) {
        finish(status, artifacts, config.finishTimeoutSeconds());
    }

    /** {@link #finish(String, Map)}, waiting at most {@code waitSeconds} for the queue. */
    public synchronized void finish(String status, Map<String, Path> artifacts, double waitSeconds) {
        if (finished) {
            return;
        }
        flush();
        finished = true;
        List<Request> last = new ArrayList<>();
        artifacts.forEach((name, file) -> last.add(new Request(Kind.ARTIFACT, 1, name,
                run -> store.logArtifact(run, name, file))));
        long end = System.currentTimeMillis();
        last.add(new Request(Kind.END, 1, status, run -> store.endRun(run, status, end)));
        TrackingQueue.Outcome outcome = queue.finish(last, Math.min(waitSeconds, config.finishTimeoutSeconds()));
        if (outcome.notSent().isEmpty()) {
            RunRef run = outcome.run();
            sink.info("mlflow: run " + run.runId() + " " + status.toLowerCase(Locale.ROOT) + ", with " + artifacts.size()
                    + " artifacts: " + link(run));
        } else {
            sink.warn("mlflow: not sent to " + config.uri() + ": " + describe(outcome.notSent())
                    + (outcome.firstFailure() == null ? "" : " (first failure: " + outcome.firstFailure() + ")")
                    + "; the local records are complete");
        }
    }

    /**
     * {@link #finish(String, Map) Finishes} a run whose model is in {@code modelDir}: its files go under
     * {@code model/} with the MLflow model files ({@link MlflowModel}: ONNX export and {@code MLmodel}), written to a
     * temporary directory for the upload and removed afterwards. A model the ONNX export does not cover is logged
     * without them, with a warning.
     */
    public void finishWithModel(String status, Map<String, Path> artifacts, Path modelDir) {
        Map<String, Path> all = new LinkedHashMap<>(artifacts);
        all.putAll(RunArtifacts.directory("model", modelDir));
        Path temp = null;
        try {
            temp = java.nio.file.Files.createTempDirectory("sparktrain-mlflow-model-");
            all.putAll(MlflowModel.write(modelDir, temp.resolve("model"), null));
        } catch (java.io.IOException | RuntimeException e) {
            sink.warn("mlflow: the model is logged without an MLmodel (its ONNX export failed: " + e.getMessage() + ")");
        }
        try {
            finish(status, all);
        } finally {
            if (temp != null) {
                dev.sparktrain.jobs.run.RunDirectory.deleteRecursively(temp);
            }
        }
    }

    /** Whether {@link #finish} has run. */
    public synchronized boolean finished() {
        return finished;
    }

    private void opened(RunRef ref, Path runDir) {
        if (runDir != null) {
            new RunRecord(config.uri(), ref.experimentId(), ref.runId()).write(runDir);
        }
        sink.info("mlflow: logging to run " + ref.runId() + " in experiment '" + experiment + "': " + link(ref));
    }

    private String link(RunRef run) {
        if (config.isFileStore()) {
            return "MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri " + config.uri();
        }
        return config.uri().replaceAll("/+$", "") + "/#/experiments/" + run.experimentId() + "/runs/" + run.runId();
    }

    private void add(String key, OptionalDouble value, long now, long step) {
        if (value.isPresent()) {
            add(key, value.getAsDouble(), now, step);
        }
    }

    /** Non-finite values are left out: MLflow's JSON has no NaN, and a missing point says the same. */
    private void add(String key, double value, long now, long step) {
        if (Double.isFinite(value)) {
            pending.add(new Metric(key, value, now, step));
        }
    }

    private void flush() {
        lastFlush = System.currentTimeMillis();
        if (pending.isEmpty()) {
            return;
        }
        for (List<Metric> slice : MlflowLimits.slices(pending, MlflowLimits.MAX_METRICS_PER_BATCH)) {
            queue.submit(new Request(Kind.METRICS, slice.size(), null, run -> {
                List<Metric> fresh = slice.stream().filter(this::notLoggedBefore).toList();
                if (!fresh.isEmpty()) {
                    store.logBatch(run, fresh, Map.of(), Map.of());
                }
            }));
        }
        pending.clear();
    }

    private boolean notLoggedBefore(Metric m) {
        return m.step() > (m.key().startsWith(ROUND) ? loggedRounds : loggedEpochs);
    }

    private void submitBatch(Kind kind, int count, Map<String, String> params, Map<String, String> tags) {
        queue.submit(new Request(kind, count, null, run -> store.logBatch(run, List.of(), params, tags)));
    }

    /** "120 metric values, 31 params, 2 artifacts (config.yaml, model/params.npy), the run's end (FINISHED)". */
    static String describe(List<Request> requests) {
        Map<Kind, Integer> counts = new LinkedHashMap<>();
        TreeSet<String> artifacts = new TreeSet<>();
        String end = null;
        for (Request r : requests) {
            counts.merge(r.kind(), r.count(), Integer::sum);
            if (r.kind() == Kind.ARTIFACT) {
                artifacts.add(r.label());
            } else if (r.kind() == Kind.END) {
                end = r.label();
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> {
            switch (kind) {
                case METRICS -> parts.add(n + " metric values");
                case PARAMS -> parts.add(n + " params");
                case TAGS -> parts.add(n + " tags");
                case ARTIFACT -> parts.add(n + " artifacts (" + String.join(", ", artifacts) + ")");
                default -> { }
            }
        });
        if (end != null) {
            parts.add("the run's end (" + end + ")");
        }
        return String.join(", ", parts);
    }
}
