package dev.sparktrain.jobs.tracking;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mlflow server} for tests, from the project's virtual environment ({@code $REPO/.venv}, made by
 * {@code bin/python-env} from {@code python/requirements-test.txt}; {@code SPARKTRAIN_MLFLOW} names another
 * {@code mlflow} executable): on 127.0.0.1 and a free port, with a SQLite backend store and an artifact directory
 * under {@code dir}, serving artifacts. Tests skip, naming the reason, where there is no such executable.
 */
public final class MlflowServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String uri;
    private final Path log;

    private MlflowServer(Process process, String uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** The project's {@code mlflow} executable; the calling test is skipped when there is none. */
    public static Path executable() {
        String given = System.getenv("SPARKTRAIN_MLFLOW");
        Path mlflow = given != null && !given.isEmpty() ? Path.of(given) : repo().resolve(".venv/bin/mlflow");
        assumeTrue(Files.isExecutable(mlflow), mlflow + " not found: run bin/python-env (it makes .venv from"
                + " python/requirements-test.txt, with the pinned mlflow), or set SPARKTRAIN_MLFLOW");
        return mlflow;
    }

    /** The project's Python: next to the {@code mlflow} executable. */
    public static Path python() {
        Path python = executable().resolveSibling("python");
        assumeTrue(Files.isExecutable(python), python + " not found next to " + executable());
        return python;
    }

    static Path repo() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** Starts a server with its stores in {@code dir} and waits (up to 3 minutes) until it answers. */
    public static MlflowServer start(Path dir) throws IOException, InterruptedException {
        Path mlflow = executable();
        Files.createDirectories(dir);
        int port = freePort();
        Path log = dir.resolve("mlflow-server.log");
        ProcessBuilder pb = new ProcessBuilder(mlflow.toString(), "server", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--workers", "1",
                "--backend-store-uri", "sqlite:///" + dir.toAbsolutePath().resolve("mlflow.db"),
                "--artifacts-destination", dir.toAbsolutePath().resolve("artifacts").toString(), "--serve-artifacts")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MLFLOW_TRACKING_URI", "");
        Process process = pb.start();
        MlflowServer server = new MlflowServer(process, "http://127.0.0.1:" + port, log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mlflow server exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        server.close();
        throw new IllegalStateException("mlflow server did not answer within 3 minutes:\n" + Files.readString(log));
    }

    public String uri() {
        return uri;
    }

    /** A port nothing listens on (taken and given back): a tracking server that is down. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** GET {@code /api/2.0/mlflow/<path>} with query {@code key=value} pairs, as JSON. */
    public JsonNode get(String path, String... query) {
        StringBuilder url = new StringBuilder(uri + "/api/2.0/mlflow/" + path);
        for (int i = 0; i < query.length; i += 2) {
            url.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST {@code /api/2.0/mlflow/<path>} with a JSON body, as JSON. */
    public JsonNode post(String path, String json) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of an artifact of a run through the artifact proxy. */
    public byte[] artifact(String experimentId, String runId, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow-artifacts/artifacts/"
                + experimentId + "/" + runId + "/artifacts/" + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError("artifact " + path + ": " + r.statusCode());
        }
        return r.body();
    }

    /** Every artifact path of a run, recursively ({@code model/params.npy}). */
    public List<String> artifactPaths(String runId) {
        List<String> out = new ArrayList<>();
        listArtifacts(runId, "", out);
        return out;
    }

    private void listArtifacts(String runId, String path, List<String> out) {
        JsonNode files = get("artifacts/list", "run_id", runId, "path", path).path("files");
        for (JsonNode f : files) {
            if (f.path("is_dir").asBoolean()) {
                listArtifacts(runId, f.path("path").asText(), out);
            } else {
                out.add(f.path("path").asText());
            }
        }
    }

    /** The steps and values of a metric's history, in step order. */
    public List<double[]> history(String runId, String key) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode m : get("metrics/get-history", "run_id", runId, "metric_key", key, "max_results", "25000")
                .path("metrics")) {
            out.add(new double[] {m.path("step").asDouble(), m.path("value").asDouble()});
        }
        out.sort((a, b) -> Double.compare(a[0], b[0]));
        return out;
    }

    /** Stops the server and the workers it started (by process handle, children first). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public String toString() {
        return "mlflow server at " + uri + " (log " + log + ")";
    }
}
