package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.jobs.tracking.MlflowServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run logged to a {@code file:} URI needs no server: MLflow's own Python client (the pinned one of the project's
 * virtual environment) reads the run, its params, metric histories and artifacts from the directory.
 */
class MlflowFileStoreTest {

    private static final String READ_RUN = """
            import json, sys, mlflow
            from mlflow.tracking import MlflowClient
            client = MlflowClient(sys.argv[1])
            exp = client.get_experiment_by_name(sys.argv[2])
            runs = client.search_runs([exp.experiment_id])
            run = runs[0]
            def walk(path):
                out = []
                for f in client.list_artifacts(run.info.run_id, path):
                    out += walk(f.path) if f.is_dir else [f.path]
                return out
            print(json.dumps({
                "runs": len(runs), "run_id": run.info.run_id, "status": run.info.status,
                "run_name": run.info.run_name, "params": run.data.params, "tags": run.data.tags,
                "epoch_loss": [[m.step, m.value] for m in client.get_metric_history(run.info.run_id, "epoch/train_loss")],
                "round_loss": len(client.get_metric_history(run.info.run_id, "round/loss")),
                "artifacts": walk(None)}))
            """;

    @Test
    void theRunIsReadByMlflowsPythonClient(@TempDir Path dir) throws Exception {
        Path python = MlflowServer.python();
        String uri = dir.resolve("mlruns").toUri().toString();
        Path runDir = dir.resolve("run");
        CliFixture.Outcome o = CliFixture.run("train", CliFixture.config(dir, "relu", "scale: 0.0039").toString(),
                "--out", runDir.toString(), "--mlflow-uri", uri, "--set", "tracking.mlflow.log_every_rounds=4");
        assertEquals(0, o.exitCode(), o.out() + o.err());

        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", READ_RUN, uri, "tiny");
        pb.environment().put("MLFLOW_ALLOW_FILE_STORE", "true");
        Process p = pb.redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out + err);
        JsonNode run = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

        assertEquals(1, run.path("runs").asInt());
        assertEquals("FINISHED", run.path("status").asText());
        assertEquals("run", run.path("run_name").asText(), "named after the run directory");
        assertEquals("0.01", run.path("params").path("optimizer.lr").asText());
        assertEquals("[16]", run.path("params").path("model.input_shape").asText());
        assertEquals("sync", run.path("tags").path("sparktrain.mode").asText());
        assertEquals(2, run.path("epoch_loss").size());
        assertEquals(1, run.path("epoch_loss").get(0).get(0).asInt());
        assertEquals(2 * 19 / 4, run.path("round_loss").asInt());
        List<String> artifacts = new ArrayList<>();
        run.path("artifacts").forEach(a -> artifacts.add(a.asText()));
        assertTrue(artifacts.containsAll(List.of("config.yaml", "report.html", "confusion.json", "model/params.npy")),
                artifacts.toString());
    }
}
