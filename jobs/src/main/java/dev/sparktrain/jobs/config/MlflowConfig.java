package dev.sparktrain.jobs.config;

import dev.sparktrain.ops.config.Options;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tracking.mlflow} section: where a run is logged in MLflow and how, validated at construction; messages
 * name the field. Defaults live in {@link #withUri}.
 *
 * @param uri                  {@code tracking.mlflow.uri}: a tracking server ({@code http://host:5000},
 *                             {@code https://...}) or a local MLflow file store ({@code file:/path/to/mlruns})
 * @param experiment           {@code tracking.mlflow.experiment}: experiment name, created when missing; null: the
 *                             config's {@code name}
 * @param runName              {@code tracking.mlflow.run_name}; null: the run directory's name (the CLI) or the
 *                             config's {@code name} (Spark ML {@code fit})
 * @param tags                 {@code tracking.mlflow.tags}: extra run tags, name to value
 * @param logEveryRounds       {@code tracking.mlflow.log_every_rounds}: round metrics every N rounds (≥ 1); epoch
 *                             metrics are logged every epoch
 * @param logModel             {@code tracking.mlflow.log_model}: upload the model directory as the run's
 *                             {@code model/} artifact
 * @param timeoutSeconds       {@code tracking.mlflow.timeout_seconds}: per HTTP request, &gt; 0
 * @param queueSize            {@code tracking.mlflow.queue_size}: requests waiting to be sent while the server is
 *                             slow or down (≥ 1); beyond it new ones are dropped and named at the end
 * @param finishTimeoutSeconds {@code tracking.mlflow.finish_timeout_seconds}: how long the end of a run waits for
 *                             the queue to drain (≥ 0)
 */
public record MlflowConfig(String uri, String experiment, String runName, Map<String, String> tags,
                           int logEveryRounds, boolean logModel, double timeoutSeconds, int queueSize,
                           double finishTimeoutSeconds) {

    static final String FIELD = "tracking.mlflow";
    private static final String URI_REQUIRED = FIELD + ".uri is required, e.g. http://127.0.0.1:5000 or file:./mlruns";
    static final Set<String> KEYS = Set.of("uri", "experiment", "run_name", "tags", "log_every_rounds", "log_model",
            "timeout_seconds", "queue_size", "finish_timeout_seconds");

    public MlflowConfig {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(URI_REQUIRED);
        }
        String scheme = scheme(uri);
        if (!Set.of("http", "https", "file").contains(scheme)) {
            throw new IllegalArgumentException(FIELD + ".uri must be an http://, https:// or file: URI, got '" + uri
                    + "'");
        }
        if (experiment != null && experiment.isBlank()) {
            throw new IllegalArgumentException(FIELD + ".experiment must not be empty");
        }
        if (runName != null && runName.isBlank()) {
            throw new IllegalArgumentException(FIELD + ".run_name must not be empty");
        }
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        if (logEveryRounds < 1) {
            throw new IllegalArgumentException(FIELD + ".log_every_rounds must be >= 1, got " + logEveryRounds);
        }
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new IllegalArgumentException(FIELD + ".timeout_seconds must be > 0, got " + timeoutSeconds);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException(FIELD + ".queue_size must be >= 1, got " + queueSize);
        }
        if (!(finishTimeoutSeconds >= 0) || Double.isInfinite(finishTimeoutSeconds)) {
            throw new IllegalArgumentException(FIELD + ".finish_timeout_seconds must be >= 0, got "
                    + finishTimeoutSeconds);
        }
    }

    /** The defaults, in one place: everything but the URI. */
    public static MlflowConfig withUri(String uri) {
        return new MlflowConfig(uri, null, null, Map.of(), 10, true, 10.0, 1000, 60.0);
    }

    /** Reads the {@code tracking.mlflow} section; unknown keys are refused with the closest known one. */
    public static MlflowConfig parse(Options o) {
        if (!o.has("uri")) {
            throw new IllegalArgumentException(URI_REQUIRED);
        }
        MlflowConfig d = withUri(o.string("uri"));
        Map<String, String> tags = new LinkedHashMap<>();
        if (o.has("tags")) {
            Options t = o.sub("tags");
            for (String key : t.keys()) {
                tags.put(key, t.string(key));
            }
        }
        MlflowConfig c = new MlflowConfig(d.uri(),
                o.has("experiment") ? o.string("experiment") : null,
                o.has("run_name") ? o.string("run_name") : null,
                tags,
                o.integer("log_every_rounds", d.logEveryRounds()),
                o.bool("log_model", d.logModel()),
                o.number("timeout_seconds", d.timeoutSeconds()),
                o.integer("queue_size", d.queueSize()),
                o.number("finish_timeout_seconds", d.finishTimeoutSeconds()));
        o.done(KEYS);
        return c;
    }

    /** Whether the URI names a local file store rather than a tracking server. */
    public boolean isFileStore() {
        return "file".equals(scheme(uri));
    }

    private static String scheme(String uri) {
        try {
            String s = new URI(uri.trim()).getScheme();
            return s == null ? "" : s.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(FIELD + ".uri is not a valid URI: '" + uri + "' (" + e.getReason()
                    + ")");
        }
    }
}
