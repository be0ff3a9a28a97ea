package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.driver.SparkFixture;
import org.apache.spark.sql.SparkSession;
import dev.sparktrain.jobs.ml.NeuralNetClassifier;
import dev.sparktrain.jobs.tracking.MlflowServer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} logs to a real {@code mlflow server} (the pinned MLflow of the project's virtual environment, on
 * loopback, SQLite store, artifacts served by the server), read back over MLflow's REST API: params, tags, metric
 * histories, artifacts byte for byte; and {@code --resume} continues the same MLflow run. Skipped, with the reason,
 * where the environment has no {@code mlflow} ({@code bin/python-env} makes it).
 */
class MlflowTrackingTest {

    /** 600 rows over 2 workers at 16 per worker: 19 rounds per epoch. */
    private static final int ROUNDS_PER_EPOCH = 19;
    private static final int EVERY = 5;

    @TempDir
    static Path dir;
    static MlflowServer server;
    static Path config;

    @BeforeAll
    static void startServer() throws Exception {
        MlflowServer.executable();
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        server = MlflowServer.start(Files.createTempDirectory(target, "mlflow-server-"));
        config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static CliFixture.Outcome train(Path runDir, String experiment, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", config.toString(), "--out", runDir.toString(),
                "--mlflow-uri", server.uri(), "--mlflow-experiment", experiment,
                "--set", "tracking.mlflow.log_every_rounds=" + EVERY));
        args.addAll(List.of(more));
        return CliFixture.run(args.toArray(String[]::new));
    }

    private static String runId(Path runDir) throws IOException {
        return new ObjectMapper().readTree(runDir.resolve("mlflow-run.json").toFile()).path("run_id").asText();
    }

    private static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> out = new HashMap<>();
        list.forEach(e -> out.put(e.path("key").asText(), e.path("value").asText()));
        return out;
    }

    /** The epochs' train losses of metrics.jsonl, last line per epoch. */
    private static Map<Integer, Double> trainLosses(Path runDir) throws IOException {
        Map<Integer, Double> out = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals("epoch")) {
                out.put(n.path("epoch").asInt(), n.path("trainLoss").asDouble());
            }
        }
        return out;
    }

    @Test
    void aTrainedRunIsReadBackOverTheRestApi() throws Exception {
        Path runDir = dir.resolve("tracked");
        CliFixture.Outcome o = train(runDir, "tiny-tracked", "--mlflow-run-name", "first try");
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("report: " + runDir.resolve("report.html").toAbsolutePath().toUri()),
                "the log says where the report is:\n" + o.out());
        assertTrue(!o.err().contains("warning: mlflow"), o.err());
        String runId = runId(runDir);
        assertTrue(o.out().contains("mlflow: run " + runId + " finished"), o.out());

        JsonNode run = server.get("runs/get", "run_id", runId).path("run");
        assertEquals("FINISHED", run.path("info").path("status").asText());
        assertEquals("first try", run.path("info").path("run_name").asText());
        String experimentId = run.path("info").path("experiment_id").asText();
        assertEquals("tiny-tracked", server.get("experiments/get", "experiment_id", experimentId)
                .path("experiment").path("name").asText());

        Map<String, String> params = keyValues(run.path("data").path("params"));
        assertEquals("0.01", params.get("optimizer.lr"));
        assertEquals("adam", params.get("optimizer.type"));
        assertEquals("12", params.get("model.layers.0.units"));
        assertEquals("[16]", params.get("model.input_shape"));
        assertEquals("2", params.get("training.epochs"));
        assertTrue(params.keySet().stream().noneMatch(k -> k.startsWith("tracking.")), params.toString());

        Map<String, String> tags = keyValues(run.path("data").path("tags"));
        assertEquals("sync", tags.get("sparktrain.mode"));
        assertEquals("2", tags.get("sparktrain.workers"));
        assertEquals("job", tags.get("sparktrain.transport"));
        assertEquals("local[2]", tags.get("sparktrain.spark_master"));
        assertTrue(tags.get("sparktrain.version").matches("\\d+\\.\\d+\\.\\d+.*"), tags.toString());

        List<double[]> epochLoss = server.history(runId, "epoch/train_loss");
        Map<Integer, Double> local = trainLosses(runDir);
        assertEquals(2, epochLoss.size());
        for (double[] point : epochLoss) {
            assertEquals(local.get((int) point[0]), point[1], 1e-12, "epoch " + point[0]);
        }
        assertEquals(2, server.history(runId, "epoch/test_accuracy").size());
        int rounds = 2 * ROUNDS_PER_EPOCH;
        for (String key : List.of("round/loss", "round/learning_rate", "round/gradient_norm", "round/update_norm",
                "round/samples_per_second")) {
            List<double[]> h = server.history(runId, key);
            assertEquals(rounds / EVERY, h.size(), key);
            assertEquals(EVERY, h.get(0)[0], key);
            assertEquals(EVERY * (rounds / EVERY), h.get(h.size() - 1)[0], key);
        }

        List<String> artifacts = server.artifactPaths(runId);
        for (String expected : List.of("config.yaml", "metrics.jsonl", "confusion.json", "report.html",
                "report-loss.png", "model/params.npy", "model/layout.json", "model/config.yaml")) {
            assertTrue(artifacts.contains(expected), expected + " in " + artifacts);
            assertArrayEquals(Files.readAllBytes(runDir.resolve(expected)),
                    server.artifact(experimentId, runId, expected), expected);
        }
        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(!html.contains("http-equiv=\"refresh\""), "the final report does not reload");

        assertTrue(artifacts.containsAll(List.of("model/MLmodel", "model/model.onnx",
                "model/code/sparktrain_pyfunc.py")), artifacts.toString());
        theLoggedModelGivesPredictsOutputsThroughMlflowPyfunc(runDir, runId);
    }

    /**
     * {@code mlflow.pyfunc.load_model("runs:/ID/model").predict(frame)} of the logged model, in MLflow's Python,
     * against {@code sparktrain predict} on the same rows: the same classes, probabilities within float rounding.
     */
    private static void theLoggedModelGivesPredictsOutputsThroughMlflowPyfunc(Path runDir, String runId)
            throws Exception {
        Path predictions = dir.resolve("predictions.csv");
        CliFixture.Outcome predict = CliFixture.run("predict", runDir.toString(), "--out", predictions.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        byte[] idx = Files.readAllBytes(dir.resolve("test-images"));
        int side = CliFixture.SIDE * CliFixture.SIDE;
        int rows = (idx.length - 16) / side;
        StringBuilder features = new StringBuilder();
        for (int f = 0; f < side; f++) {
            features.append(f == 0 ? "" : ",").append("f").append(f);
        }
        for (int r = 0; r < rows; r++) {
            features.append('\n');
            for (int f = 0; f < side; f++) {
                features.append(f == 0 ? "" : ",").append(idx[16 + r * side + f] & 0xff);
            }
        }
        Path input = dir.resolve("features.csv");
        Files.writeString(input, features.append('\n'));
        Path output = dir.resolve("pyfunc.csv");
        Process p = new ProcessBuilder(MlflowServer.python().toString(), "-c", """
                import sys, mlflow, mlflow.onnx, pandas as pd
                mlflow.set_tracking_uri(sys.argv[1])
                model = mlflow.pyfunc.load_model("runs:/" + sys.argv[2] + "/model")
                model.predict(pd.read_csv(sys.argv[3])).to_csv(sys.argv[4], index=False)
                print("onnx input:", mlflow.onnx.load_model("runs:/" + sys.argv[2] + "/model").graph.input[0].name)
                """, server.uri(), runId, input.toString(), output.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("onnx input: features"), log);

        List<String> expected = Files.readAllLines(predictions);
        List<String> actual = Files.readAllLines(output);
        assertEquals("row,label,predicted,p0,p1,p2", expected.get(0));
        assertEquals("predicted,p0,p1,p2", actual.get(0));
        assertEquals(rows + 1, actual.size());
        assertEquals(expected.size(), actual.size());
        for (int r = 1; r <= rows; r++) {
            String[] want = expected.get(r).split(",");
            String[] got = actual.get(r).split(",");
            assertEquals(want[2], got[0], "row " + r + ": predicted class");
            for (int c = 0; c < 3; c++) {
                assertEquals(Double.parseDouble(want[3 + c]), Double.parseDouble(got[1 + c]), 1e-5,
                        "row " + r + ": p" + c);
            }
        }
    }

    @Test
    void sparkMlFitLogsWhenAsked() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int label = random.nextInt(3);
            double[] x = new double[4];
            for (int d = 0; d < 4; d++) {
                x[d] = (d == label ? 2.0 : 0.0) + 0.5 * random.nextGaussian();
            }
            rows.add(RowFactory.create(x, label));
        }
        Dataset<Row> train = SparkSession.builder().sparkContext(SparkFixture.context().sc()).getOrCreate().createDataFrame(rows, new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType)).add("label", DataTypes.IntegerType));
        NeuralNetClassifier nn = new NeuralNetClassifier().setConfig("""
                name: blobs
                model:
                  input_shape: [4]
                  layers: [{type: dense, units: 8, activation: relu}, {type: dense, units: 3}]
                  loss: softmax_cross_entropy
                optimizer: {type: adam, lr: 0.02}
                training: {epochs: 3, batch_size_per_worker: 20, workers: 2, seed: 1}
                """).setMlflowUri(server.uri()).setMlflowExperiment("spark-ml-fit").setMlflowRunName("blobs fit");
        nn.fit(train);

        String experimentId = server.get("experiments/get-by-name", "experiment_name", "spark-ml-fit")
                .path("experiment").path("experiment_id").asText();
        JsonNode runs = server.post("runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"]}").path("runs");
        assertEquals(1, runs.size(), runs.toString());
        JsonNode run = runs.get(0);
        String runId = run.path("info").path("run_id").asText();
        assertEquals("blobs fit", run.path("info").path("run_name").asText());
        assertEquals("FINISHED", run.path("info").path("status").asText());
        Map<String, String> params = keyValues(run.path("data").path("params"));
        assertEquals("3", params.get("training.epochs"));
        assertEquals("0.02", params.get("optimizer.lr"));
        assertEquals("sparktrain Spark ML fit", keyValues(run.path("data").path("tags")).get("mlflow.source.name"));
        assertEquals(3, server.history(runId, "epoch/train_loss").size());
        List<String> artifacts = server.artifactPaths(runId);
        assertTrue(artifacts.containsAll(List.of("config.yaml", "model/params.npy", "model/layout.json")),
                artifacts.toString());
    }

    @Test
    void resumeContinuesTheSameRun() throws Exception {
        Path runDir = dir.resolve("resumed");
        CliFixture.Outcome first = train(runDir, "tiny-resume");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        String runId = runId(runDir);
        // Stopped after epoch 1's checkpoint: the later checkpoint and the model are gone.
        Path latest;
        try (Stream<Path> checkpoints = Files.list(runDir.resolve("checkpoints"))) {
            latest = checkpoints.max(Comparator.naturalOrder()).orElseThrow();
        }
        dev.sparktrain.jobs.run.RunDirectory.deleteRecursively(latest);
        dev.sparktrain.jobs.run.RunDirectory.deleteRecursively(runDir.resolve("model"));

        CliFixture.Outcome resumed = train(runDir, "tiny-resume", "--resume");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resuming from"), resumed.out());
        assertEquals(runId, runId(runDir), "the same MLflow run");
        JsonNode run = server.get("runs/get", "run_id", runId).path("run");
        assertEquals("FINISHED", run.path("info").path("status").asText());
        String experimentId = run.path("info").path("experiment_id").asText();
        JsonNode runs = server.post("runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"]}");
        assertEquals(1, runs.path("runs").size(), "no second run: " + runs);
        // Epoch 2 and its rounds ran twice, with bitwise the same values: logged once.
        List<double[]> epochs = server.history(runId, "epoch/train_loss");
        assertEquals(2, epochs.size());
        assertEquals(1.0, epochs.get(0)[0]);
        assertEquals(2.0, epochs.get(1)[0]);
        assertEquals(2 * ROUNDS_PER_EPOCH / EVERY, server.history(runId, "round/loss").size());
        assertTrue(server.artifactPaths(runId).contains("model/params.npy"));
    }
}
