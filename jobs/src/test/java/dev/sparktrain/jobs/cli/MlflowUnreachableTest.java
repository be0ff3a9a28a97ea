package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.tracking.MlflowServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking server that is down does not stop training: one warning line when the first request fails, the run
 * and its local records complete, and the last line names what was not sent. Needs no MLflow installed.
 */
class MlflowUnreachableTest {

    @Test
    void aStoppedServerCostsOneWarningAndTheEndNamesWhatWasNotSent(@TempDir Path dir) throws IOException {
        String uri = "http://127.0.0.1:" + MlflowServer.freePort();
        Path runDir = dir.resolve("run");
        CliFixture.Outcome o = CliFixture.run("train", CliFixture.config(dir, "relu", "scale: 0.0039").toString(),
                "--out", runDir.toString(), "--mlflow-uri", uri);
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("RESULT "), o.out());
        for (String file : List.of("model/params.npy", "metrics.jsonl", "report.html", "confusion.json")) {
            assertTrue(Files.isRegularFile(runDir.resolve(file)), file);
        }
        assertFalse(Files.exists(runDir.resolve("mlflow-run.json")), "no run was created");

        List<String> warnings = o.err().lines().filter(l -> l.contains("mlflow")).toList();
        assertEquals(2, warnings.size(), o.err());
        assertTrue(warnings.get(0).startsWith("warning: mlflow: " + uri + " is unreachable"), warnings.get(0));
        assertTrue(warnings.get(0).contains("training goes on"), warnings.get(0));
        String end = warnings.get(1);
        assertTrue(end.startsWith("warning: mlflow: not sent to " + uri + ": "), end);
        for (String named : List.of(" metric values", " params", "artifacts (config.yaml, confusion.json,",
                "model/params.npy", "report.html", "the run's end (FINISHED)", "the local records are complete")) {
            assertTrue(end.contains(named), named + " in: " + end);
        }
    }
}
