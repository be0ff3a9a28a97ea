package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train} process stopped by a signal (SIGTERM, as a cluster manager or {@code kill} sends; Ctrl-C runs the
 * same shutdown hooks) leaves a static report that says it was interrupted, not a page reloading forever, and ends
 * its MLflow run as KILLED (a {@code file:} store, read from MLflow's own {@code meta.yaml}).
 */
class InterruptedRunTest {

    @Test
    void aKilledRunLeavesAStaticReportAndAKilledMlflowRun(@TempDir Path dir) throws Exception {
        Path config = CliFixture.config(dir, "relu", "scale: 0.0039");
        Path runDir = dir.resolve("run");
        Path mlruns = dir.resolve("mlruns");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).toList());
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.sparktrain.jobs.cli.SparkTrain", "train", config.toString(), "--out", runDir.toString(),
                "--set", "training.epochs=200", "--mlflow-uri", mlruns.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("train.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!(Files.isRegularFile(runDir.resolve("report.html"))
                    && Files.readString(runDir.resolve("report.html")).contains("Training is running"))) {
                assertTrue(p.isAlive(), "train ended early:\n" + Files.readString(dir.resolve("train.log")));
                assertTrue(System.nanoTime() < deadline, "no live report:\n" + Files.readString(dir.resolve("train.log")));
                Thread.sleep(200);
            }
        } finally {
            p.destroy();
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "train did not stop on SIGTERM");
        String log = Files.readString(dir.resolve("train.log"));
        assertFalse(log.contains("RESULT "), "the run was stopped before its end:\n" + log);

        String page = Files.readString(runDir.resolve("report.html"));
        assertFalse(page.contains("http-equiv=\"refresh\""), "the page of a stopped run does not reload:\n" + log);
        assertTrue(page.contains("The run was interrupted after epoch "), page);

        Path runMeta;
        try (Stream<Path> metas = Files.walk(mlruns)) {
            runMeta = metas.filter(f -> f.getFileName().toString().equals("meta.yaml"))
                    .filter(f -> f.getParent().getParent().getParent().equals(mlruns)).findFirst().orElseThrow();
        }
        JsonNode meta = new ObjectMapper(new YAMLFactory()).readTree(runMeta.toFile());
        assertEquals(5, meta.path("status").asInt(), "MLflow's KILLED: " + meta);
        assertTrue(meta.path("end_time").asLong() > 0, meta.toString());
        assertTrue(Files.isRegularFile(runMeta.resolveSibling("artifacts").resolve("config.yaml")));
    }
}
