package dev.sparktrain.jobs.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code mlflow-run.json} in a run directory: which MLflow run holds it ({@code tracking_uri}, {@code experiment_id},
 * {@code run_id}), so {@code --resume} continues that run instead of starting another.
 */
record RunRecord(String trackingUri, String experimentId, String runId) {

    static final String FILE_NAME = "mlflow-run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Optional<RunRecord> read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            String runId = node.path("run_id").asText("");
            return runId.isEmpty() ? Optional.empty() : Optional.of(new RunRecord(node.path("tracking_uri").asText(""),
                    node.path("experiment_id").asText(""), runId));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not readable JSON (" + e.getMessage() + "); delete it to log"
                    + " the resumed run as a new MLflow run");
        }
    }

    void write(Path runDir) {
        try {
            AtomicFiles.write(runDir.resolve(FILE_NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    JSON.createObjectNode().put("tracking_uri", trackingUri).put("experiment_id", experimentId)
                            .put("run_id", runId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE_NAME), e);
        }
    }
}
