package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launchers ({@code bin/sparktrain}, {@code bin/local-cluster}) as a user runs them, from a directory other
 * than the repository: a failure prints exactly one line on stderr (no JVM warning, no Spark log line, no stack
 * trace), exits with its kind's code, and changes none of the user's files. Runs after {@code package} (the
 * launcher uses the built jars).
 */
class LauncherIT {

    private static final Path ROOT = Path.of(System.getProperty("sparktrain.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int exitCode, String stdout, List<String> stderr) {
    }

    private Result run(String launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(launcher).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("SPARKTRAIN_NO_BUILD", "1");
            pb.environment().put("JAVA_OPTS", "-Xmx1g");
            Process p = pb.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher finished");
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Path config(String csv) throws IOException {
        Files.writeString(dir.resolve("data.csv"), csv);
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                name: tiny
                data: {format: csv, train_path: data.csv, header: true}
                model:
                  input_shape: [2]
                  layers: [{type: dense, units: 2}]
                  loss: softmax_cross_entropy
                optimizer: {type: sgd, lr: 0.1}
                training: {epochs: 1, batch_size_per_worker: 2, workers: 2}
                """);
        return config;
    }

    private void assertOneLine(Result r, int exitCode, String line, Map<String, String> before) {
        assertEquals(List.of(line), r.stderr(), "exactly one line on stderr");
        assertEquals(exitCode, r.exitCode(), r.stdout());
        assertEquals(before, FileHashes.of(dir), "the user's files are unchanged");
    }

    @Test
    void aBadRowFoundBySparkIsOneLineWithExitCode2() throws Exception {
        config("a,b,label\n1,2,0\n3,4,1\n5,x,0\n6,7,1\n");
        Map<String, String> before = FileHashes.of(dir);
        Result r = run("bin/sparktrain", "train", "tiny.yaml", "--out", "run");
        assertOneLine(r, 2, "error: " + dir.resolve("data.csv") + " line 4: field 'b' is 'x', expected a number",
                before);
    }

    @Test
    void configMistakesAndAMasterThatDoesNotAnswerAreOneLineEach() throws Exception {
        config("a,b,label\n1,2,0\n3,4,1\n");
        Map<String, String> before = FileHashes.of(dir);
        assertOneLine(run("bin/sparktrain", "train", "tiny.yaml", "--set", "training.epochs=1e12"), 2,
                "error: training.epochs: expected a whole number in [1, 1000000], got 1e12", before);
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertOneLine(run("bin/sparktrain", "train", "tiny.yaml", "--set", "spark.master=spark://127.0.0.1:" + port),
                3, "error: cannot reach the Spark master spark://127.0.0.1:" + port + " (connection refused); start "
                        + "it (bin/local-cluster start) or fix spark.master", before);
        assertOneLine(run("bin/sparktrain", "train", "missing.yaml"), 2, "error: missing.yaml: config file not found",
                before);
        assertOneLine(run("bin/sparktrain", "evaluate"), 2, "error: Missing required parameter: 'MODEL'; see "
                + "'sparktrain evaluate --help'", before);
    }

    @Test
    void helpNamesSubmitAndTheExitCodesAndLocalClusterHasHelpAndExit2() throws Exception {
        Result help = run("bin/sparktrain", "--help");
        assertEquals(0, help.exitCode());
        // Nothing of the launcher's JVM options on stdout (the JIT's compile commands are quiet).
        assertTrue(help.stdout().startsWith("Usage: sparktrain "), help.stdout());
        assertTrue(help.stdout().contains("  submit ") && help.stdout().contains("Exit codes: 0 done, 1 the run "
                + "failed, 2 bad input, 3 environment fault"), help.stdout());
        Result clusterHelp = run("bin/local-cluster", "--help");
        assertEquals(0, clusterHelp.exitCode());
        assertTrue(clusterHelp.stdout().startsWith("Usage: bin/local-cluster COMMAND"), clusterHelp.stdout());
        Map<String, String> before = FileHashes.of(dir);
        assertOneLine(run("bin/local-cluster", "start", "--workers", "zero"), 2, "local-cluster: --workers must be a "
                + "positive number, got 'zero'; see 'bin/local-cluster --help'", before);
    }
}
