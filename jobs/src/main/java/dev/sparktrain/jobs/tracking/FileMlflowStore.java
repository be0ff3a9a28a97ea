package dev.sparktrain.jobs.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local MLflow file store ({@code file:} URIs), written in the layout of MLflow's own {@code FileStore}:
 * {@code <root>/<experiment id>/meta.yaml} and {@code <root>/<experiment id>/<run id>/{meta.yaml, params/, metrics/,
 * tags/, artifacts/}}, one file per param and tag, one {@code "<timestamp> <value> <step>"} line per metric value.
 * So {@code mlflow ui --backend-store-uri file:...} and the Python client read a run with no server (MLflow 3 keeps
 * its file store in maintenance mode and wants {@code MLFLOW_ALLOW_FILE_STORE=true} to read one).
 */
final class FileMlflowStore implements MlflowStore {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private static final String META = "meta.yaml";
    /** MLflow's RunStatus numbers, as its file store keeps them. */
    private static final Map<String, Integer> STATUS = Map.of("RUNNING", 1, "SCHEDULED", 2, "FINISHED", 3,
            "FAILED", 4, "KILLED", 5);

    private final Path root;

    FileMlflowStore(String uri) {
        this.root = rootOf(uri);
    }

    /** The directory a {@code file:} URI names: {@code file:/abs}, {@code file:///abs} or {@code file:relative}. */
    static Path rootOf(String uri) {
        URI u = URI.create(uri.trim());
        String path = u.isOpaque() ? u.getSchemeSpecificPart() : u.getPath();
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("tracking.mlflow.uri names no directory: '" + uri + "'");
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    @Override
    public RunRef createRun(String experiment, String runName, long startMillis, Map<String, String> tags) {
        try {
            String experimentId = experimentId(experiment);
            String runId = UUID.randomUUID().toString().replace("-", "");
            Path run = root.resolve(experimentId).resolve(runId);
            Files.createDirectories(run.resolve("metrics"));
            Files.createDirectories(run.resolve("params"));
            Files.createDirectories(run.resolve("tags"));
            Files.createDirectories(run.resolve("artifacts"));
            String artifactUri = run.resolve("artifacts").toUri().toString();
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("artifact_uri", artifactUri);
            meta.put("end_time", null);
            meta.put("entry_point_name", "");
            meta.put("experiment_id", experimentId);
            meta.put("lifecycle_stage", "active");
            meta.put("run_id", runId);
            meta.put("run_name", runName);
            meta.put("source_name", "");
            meta.put("source_type", 4);
            meta.put("source_version", "");
            meta.put("start_time", startMillis);
            meta.put("status", STATUS.get("RUNNING"));
            meta.put("tags", List.of());
            meta.put("user_id", System.getProperty("user.name", ""));
            meta.put("deleted_time", null);
            writeYaml(run.resolve(META), meta);
            Map<String, String> all = new LinkedHashMap<>(tags);
            all.put("mlflow.runName", runName);
            RunRef ref = new RunRef(experimentId, runId, artifactUri);
            logBatch(ref, List.of(), Map.of(), all);
            return ref;
        } catch (IOException e) {
            throw failure("cannot create a run in " + root, e);
        }
    }

    @Override
    public RunRef reopenRun(String runId) {
        Path run = findRun(runId);
        Map<String, Object> meta = readYaml(run.resolve(META));
        meta.put("status", STATUS.get("RUNNING"));
        meta.put("end_time", null);
        writeYaml(run.resolve(META), meta);
        return new RunRef(String.valueOf(meta.get("experiment_id")), runId, String.valueOf(meta.get("artifact_uri")));
    }

    @Override
    public void logBatch(RunRef ref, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        Path run = runDir(ref);
        try {
            for (Map.Entry<String, String> p : params.entrySet()) {
                Path file = run.resolve("params").resolve(p.getKey());
                if (Files.exists(file)) {
                    String old = Files.readString(file, StandardCharsets.UTF_8);
                    if (!old.equals(p.getValue())) {
                        throw TrackingException.permanent("param '" + p.getKey() + "' was logged as '" + old
                                + "' and cannot change to '" + p.getValue() + "' (MLflow params are immutable)");
                    }
                    continue;
                }
                write(file, p.getValue());
            }
            for (Map.Entry<String, String> t : tags.entrySet()) {
                write(run.resolve("tags").resolve(t.getKey()), t.getValue());
            }
            Map<String, StringBuilder> lines = new LinkedHashMap<>();
            for (Metric m : metrics) {
                lines.computeIfAbsent(m.key(), k -> new StringBuilder()).append(m.timestampMillis()).append(' ')
                        .append(m.value()).append(' ').append(m.step()).append('\n');
            }
            for (Map.Entry<String, StringBuilder> e : lines.entrySet()) {
                Path file = run.resolve("metrics").resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw failure("cannot write to run " + run, e);
        }
    }

    @Override
    public void logArtifact(RunRef ref, String artifactPath, Path file) {
        Path target = runDir(ref).resolve("artifacts").resolve(artifactPath).normalize();
        try {
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failure("cannot copy " + file + " to " + target, e);
        }
    }

    @Override
    public void endRun(RunRef ref, String status, long endMillis) {
        Path meta = runDir(ref).resolve(META);
        Map<String, Object> values = readYaml(meta);
        values.put("status", STATUS.get(status));
        values.put("end_time", endMillis);
        writeYaml(meta, values);
    }

    @Override
    public long lastStep(RunRef ref, String key) {
        Path file = runDir(ref).resolve("metrics").resolve(key);
        try {
            if (!Files.exists(file)) {
                return -1;
            }
            long last = -1;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 3) {
                    last = Math.max(last, Long.parseLong(parts[2]));
                }
            }
            return last;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private Path runDir(RunRef ref) {
        return root.resolve(ref.experimentId()).resolve(ref.runId());
    }

    private Path findRun(String runId) {
        try (DirectoryStream<Path> experiments = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path experiment : experiments) {
                if (Files.isRegularFile(experiment.resolve(runId).resolve(META))) {
                    return experiment.resolve(runId);
                }
            }
        } catch (IOException e) {
            throw failure("cannot list " + root, e);
        }
        throw TrackingException.permanent("run " + runId + " is not in " + root);
    }

    /** The id of the experiment named {@code name}, created (with the default experiment, as MLflow does) if new. */
    private String experimentId(String name) throws IOException {
        if (!Files.exists(root)) {
            Files.createDirectories(root.resolve(".trash"));
            createExperiment("0", "Default");
        }
        try (DirectoryStream<Path> experiments = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path experiment : experiments) {
                Path meta = experiment.resolve(META);
                if (Files.isRegularFile(meta) && name.equals(String.valueOf(readYaml(meta).get("name")))) {
                    return experiment.getFileName().toString();
                }
            }
        }
        // MLflow's own ids for new experiments: a random 63-bit integer.
        String id = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L, Long.MAX_VALUE));
        createExperiment(id, name);
        return id;
    }

    private void createExperiment(String id, String name) throws IOException {
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        long now = System.currentTimeMillis();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("artifact_location", dir.toUri().toString().replaceAll("/$", ""));
        meta.put("creation_time", now);
        meta.put("experiment_id", id);
        meta.put("last_update_time", now);
        meta.put("lifecycle_stage", "active");
        meta.put("name", name);
        writeYaml(dir.resolve(META), meta);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path file) {
        try {
            return new LinkedHashMap<>(YAML.readValue(file.toFile(), Map.class));
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    private static void writeYaml(Path file, Map<String, Object> values) {
        try {
            AtomicFiles.writeString(file, YAML.writeValueAsString(values));
        } catch (IOException | RuntimeException e) {
            throw new TrackingException("cannot write " + file + ": " + e.getMessage(), false, false, e);
        }
    }

    private static TrackingException failure(String what, IOException e) {
        return new TrackingException(what + ": " + e, false, false, e);
    }
}
