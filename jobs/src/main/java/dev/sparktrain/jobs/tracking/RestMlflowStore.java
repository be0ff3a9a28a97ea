package dev.sparktrain.jobs.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tracking server through MLflow's REST API ({@code /api/2.0/mlflow/...}) with Java's own HTTP client and the
 * project's Jackson. Artifacts go through the server's artifact proxy ({@code mlflow server --serve-artifacts}, the
 * default since MLflow 2.0): one {@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>} per file, so the driver needs
 * no credentials for the artifact store behind the server. Credentials for the server itself come from MLflow's own
 * environment variables: {@code MLFLOW_TRACKING_TOKEN} (bearer) or {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD} (basic).
 *
 * <p>Creating a run is made safe to retry: the request carries a random {@value #CREATE_KEY_TAG} tag, and a retry
 * (after a timeout or a lost answer, when the server may have created the run all the same) first looks the run up by
 * that tag, so one training run never becomes two MLflow runs.
 */
final class RestMlflowStore implements MlflowStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";
    static final String CREATE_KEY_TAG = "sparktrain.create_key";

    private final String base;
    private final Duration timeout;
    private final HttpClient http;
    private final String authorization;
    /** The tag value that names the run this store creates; set on the first attempt, kept for its retries. */
    private String createKey;

    RestMlflowStore(String uri, Duration timeout, Map<String, String> env) {
        this.base = uri.trim().replaceAll("/+$", "");
        this.timeout = timeout;
        // HTTP/1.1: MLflow's server (uvicorn) refuses the HTTP/2 upgrade the client would offer on every request.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        if (token != null && !token.isEmpty()) {
            authorization = "Bearer " + token;
        } else if (user != null && !user.isEmpty()) {
            authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + env.getOrDefault("MLFLOW_TRACKING_PASSWORD", "")).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
    }

    @Override
    public RunRef createRun(String experiment, String runName, long startMillis, Map<String, String> tags) {
        String experimentId = experimentId(experiment);
        if (createKey == null) {
            createKey = UUID.randomUUID().toString();
        } else {
            Optional<RunRef> earlier = runTagged(experimentId, createKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        ObjectNode body = JSON.createObjectNode().put("experiment_id", experimentId).put("run_name", runName)
                .put("start_time", startMillis).put("user_id", System.getProperty("user.name", ""));
        ArrayNode tagArray = body.putArray("tags");
        tagArray(tagArray, tags);
        tagArray.addObject().put("key", CREATE_KEY_TAG).put("value", createKey);
        return runRef(post("runs/create", body).path("run").path("info"));
    }

    /** The run of {@code experimentId} tagged {@value #CREATE_KEY_TAG} = {@code key}, if an earlier attempt made it. */
    private Optional<RunRef> runTagged(String experimentId, String key) {
        ObjectNode body = JSON.createObjectNode().put("filter", "tags.`" + CREATE_KEY_TAG + "` = '" + key + "'")
                .put("max_results", 1);
        body.putArray("experiment_ids").add(experimentId);
        JsonNode runs = post("runs/search", body).path("runs");
        return runs.isArray() && !runs.isEmpty() ? Optional.of(runRef(runs.get(0).path("info"))) : Optional.empty();
    }

    @Override
    public RunRef reopenRun(String runId) {
        JsonNode info = get("runs/get?run_id=" + enc(runId)).path("run").path("info");
        post("runs/update", JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING"));
        return runRef(info);
    }

    @Override
    public void logBatch(RunRef run, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        ObjectNode body = JSON.createObjectNode().put("run_id", run.runId());
        ArrayNode m = body.putArray("metrics");
        for (Metric metric : metrics) {
            m.addObject().put("key", metric.key()).put("value", metric.value())
                    .put("timestamp", metric.timestampMillis()).put("step", metric.step());
        }
        ArrayNode p = body.putArray("params");
        params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
        tagArray(body.putArray("tags"), tags);
        post("runs/log-batch", body);
    }

    @Override
    public void logArtifact(RunRef run, String artifactPath, Path file) {
        URI target = artifactTarget(run.artifactUri(), artifactPath);
        HttpRequest request;
        try {
            request = request(target).PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .header("Content-Type", "application/octet-stream").build();
        } catch (IOException e) {
            throw TrackingException.permanent("cannot read " + file + ": " + e.getMessage());
        }
        send(request, "PUT " + target.getPath());
    }

    @Override
    public long lastStep(RunRef run, String key) {
        long last = -1;
        String token = "";
        do {
            JsonNode page = get("metrics/get-history?run_id=" + enc(run.runId()) + "&metric_key=" + enc(key)
                    + "&max_results=25000" + (token.isEmpty() ? "" : "&page_token=" + enc(token)));
            for (JsonNode m : page.path("metrics")) {
                last = Math.max(last, m.path("step").asLong(-1));
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return last;
    }

    @Override
    public void endRun(RunRef run, String status, long endMillis) {
        post("runs/update", JSON.createObjectNode().put("run_id", run.runId()).put("status", status)
                .put("end_time", endMillis));
    }

    private String experimentId(String name) {
        try {
            return get("experiments/get-by-name?experiment_name=" + enc(name)).path("experiment")
                    .path("experiment_id").asText();
        } catch (ServerAnswer e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode)) {
                throw e;
            }
        }
        try {
            return post("experiments/create", JSON.createObjectNode().put("name", name)).path("experiment_id")
                    .asText();
        } catch (ServerAnswer e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode)) {
                throw e;
            }
            // Another run created it meanwhile.
            return get("experiments/get-by-name?experiment_name=" + enc(name)).path("experiment")
                    .path("experiment_id").asText();
        }
    }

    private static RunRef runRef(JsonNode info) {
        String runId = info.path("run_id").asText(info.path("run_uuid").asText());
        if (runId.isEmpty()) {
            throw TrackingException.permanent("the server's answer names no run: " + info);
        }
        return new RunRef(info.path("experiment_id").asText(), runId, info.path("artifact_uri").asText());
    }

    /**
     * The proxy URL of an artifact: the run's artifact URI is {@code mlflow-artifacts:/<exp>/<run>/artifacts} (or
     * names a host: {@code mlflow-artifacts://host:port/...}) when the server serves artifacts.
     */
    private URI artifactTarget(String artifactUri, String artifactPath) {
        URI root;
        try {
            root = new URI(artifactUri);
        } catch (URISyntaxException e) {
            throw TrackingException.permanent("the run's artifact URI is not a URI: " + artifactUri);
        }
        if (!"mlflow-artifacts".equals(root.getScheme())) {
            throw TrackingException.permanent("the server keeps this run's artifacts at " + artifactUri
                    + ", which only the server can write; start it with --serve-artifacts (and an"
                    + " --artifacts-destination) so artifacts go through it");
        }
        String server = root.getHost() == null ? base
                : base.substring(0, base.indexOf("://") + 3) + root.getRawAuthority();
        String path = ARTIFACTS_API + (root.getPath().startsWith("/") ? "" : "/") + root.getPath().replaceAll("/+$", "")
                + "/" + artifactPath;
        try {
            URI s = URI.create(server);
            return new URI(s.getScheme(), s.getRawAuthority(), (s.getPath() == null ? "" : s.getPath()) + path,
                    null, null);
        } catch (URISyntaxException e) {
            throw TrackingException.permanent("cannot form an artifact URL for " + artifactPath + ": " + e.getMessage());
        }
    }

    private JsonNode get(String pathAndQuery) {
        return send(request(URI.create(base + API + pathAndQuery)).GET().build(), "GET " + API + pathAndQuery);
    }

    private JsonNode post(String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON for " + path, e);
        }
        return send(request(URI.create(base + API + path)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json").build(), "POST " + API + path);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new TrackingException(base + " is unreachable (" + describe(e) + ")", true, true, e);
        } catch (HttpTimeoutException e) {
            throw new TrackingException(base + " did not answer " + what + " within " + timeout.toMillis() + " ms",
                    true, true, e);
        } catch (IOException e) {
            throw new TrackingException(what + " to " + base + " failed: " + describe(e), true, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException(what + " was interrupted", true, true, e);
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status / 100 == 2) {
            try {
                return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            } catch (IOException e) {
                // Artifact PUTs answer with an empty object; anything unreadable after a 2xx still succeeded.
                return JSON.createObjectNode();
            }
        }
        String errorCode = "";
        String message = text.strip();
        try {
            JsonNode error = JSON.readTree(text);
            errorCode = error.path("error_code").asText("");
            message = error.path("message").asText(message);
        } catch (IOException ignored) {
            // not JSON: keep the text
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        throw new ServerAnswer(what + " answered " + status + (errorCode.isEmpty() ? "" : " " + errorCode) + ": "
                + message, status == 429 || status >= 500, errorCode);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private static void tagArray(ArrayNode array, Map<String, String> tags) {
        tags.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The server answered with an error. */
    private static final class ServerAnswer extends TrackingException {
        final String errorCode;

        ServerAnswer(String message, boolean retryable, String errorCode) {
            super(message, retryable, false, null);
            this.errorCode = errorCode;
        }
    }
}
