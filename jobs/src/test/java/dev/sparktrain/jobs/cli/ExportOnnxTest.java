package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import dev.sparktrain.jobs.examples.ExampleData;
import dev.sparktrain.jobs.ml.NeuralNetClassificationModel;
import dev.sparktrain.jobs.onnx.OnnxExporter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.apache.spark.ml.linalg.Vectors;

/**
 * {@code sparktrain export --format onnx} on every example config of {@code conf/examples/}, each trained briefly
 * (one epoch on 128 of its real rows): ONNX Runtime loads the file (session creation checks the graph) and
 * its outputs on the test rows, fed raw as {@code predict} reads them, match the probabilities (within 1e-5) or
 * values (within 1e-4 relative) and classes that {@code sparktrain predict} writes for the same rows. Examples on
 * Fashion-MNIST need {@code bin/fetch-fashion-mnist} (as CI runs) and are skipped without it.
 */
class ExportOnnxTest {

    private static final Path EXAMPLES = ExampleConfigsTest.EXAMPLES;
    private static final Path FASHION = ExampleConfigsTest.FASHION;
    private static final int TRAIN_ROWS = 128;
    private static final int TEST_ROWS = 64;

    @TempDir
    Path dir;

    /** Every example config, so one added later is checked too. */
    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exportedExampleMatchesPredict(String example) throws Exception {
        Path config = EXAMPLES.resolve(example + ".yaml");
        String yaml = Files.readString(config);
        List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", dir.resolve("run").toString(),
                "--set", "training.epochs=1"));
        Rows test;
        if (yaml.contains("format: idx")) {
            assumeFashion();
            args.addAll(idxSubset());
            test = idxRows(dir.resolve("test-images.gz"));
        } else {
            String train = value(yaml, "train_path");
            if (!train.contains("friedman")) {
                assumeFashion();
            }
            Path csvDir = exampleData(train.contains("friedman"));
            Path trainCsv = head(csvDir.resolve(Path.of(train).getFileName()), TRAIN_ROWS);
            Path testCsv = head(csvDir.resolve(Path.of(value(yaml, "test_path")).getFileName()), TEST_ROWS);
            args.addAll(List.of("--set", "data.train_path=" + trainCsv, "--set", "data.test_path=" + testCsv));
            test = csvRows(testCsv, value(yaml, "label_column"));
        }
        Outcome trained = CliFixture.run(args.toArray(String[]::new));
        assertEquals(0, trained.exitCode(), trained.out() + trained.err());

        Path onnx = dir.resolve("model.onnx");
        Outcome exported = CliFixture.run("export", dir.resolve("run").toString(), "--format", "onnx", "--out",
                onnx.toString());
        assertEquals(0, exported.exitCode(), exported.out() + exported.err());
        assertEquals(onnx.toString(), exported.field("EXPORT", "out"));
        Path csv = dir.resolve("predictions.csv");
        Outcome predicted = CliFixture.run("predict", dir.resolve("run").toString(), "--out", csv.toString());
        assertEquals(0, predicted.exitCode(), predicted.out() + predicted.err());
        List<String[]> lines = Files.readAllLines(csv).stream().map(l -> l.split(",")).toList();
        String[] header = lines.get(0);
        assertEquals(test.count() + 1, lines.size());

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(test.features()),
                     new long[] {test.count(), test.width()});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            String task = session.getMetadata().getCustomMetadata().get("sparktrain.task");
            boolean classifier = !task.equals("regression");
            String name = classifier ? OnnxExporter.PROBABILITIES : OnnxExporter.PREDICTION;
            float[][] values = (float[][]) result.get(name).orElseThrow().getValue();
            long[] classes = classifier ? (long[]) result.get(OnnxExporter.PREDICTED_CLASS).orElseThrow().getValue()
                    : null;
            // predict writes row, label, [predicted,] then p0.. (or prediction). A binary model's ONNX output is its
            // one sigmoid probability p, which predict writes as p0 = 1 - p, p1 = p.
            boolean binary = task.equals("binary");
            boolean predictedColumn = Arrays.asList(header).contains("predicted");
            assertEquals(classifier, predictedColumn, "predict writes a predicted class for every classifier");
            int first = predictedColumn ? 3 : 2;
            double worst = 0;
            for (int r = 0; r < test.count(); r++) {
                String[] line = lines.get(r + 1);
                int width = binary ? 2 : values[r].length;
                assertEquals(width, line.length - first, "columns of row " + r);
                for (int c = 0; c < width; c++) {
                    double expected = Float.parseFloat(line[first + c]);
                    double onnxValue = binary ? (c == 0 ? 1 - values[r][0] : values[r][0]) : values[r][c];
                    double d = Math.abs(expected - onnxValue);
                    worst = Math.max(worst, classifier ? d : d / Math.max(1e-3, Math.abs(expected)));
                }
                boolean tooCloseToCall = binary && Math.abs(values[r][0] - 0.5) < 1e-5;
                if (predictedColumn && !tooCloseToCall) {
                    assertEquals(Long.parseLong(line[2]), classes[r], "predicted class of row " + r);
                }
            }
            assertTrue(worst <= (classifier ? 1e-5 : 1e-4), example + ": worst difference " + worst);
            assertEquals(yaml.contains("huber") ? "regression" : yaml.contains("focal") ? "binary" : "multiclass", task);
        }
    }

    @Test
    void anExistingFileIsKeptUnlessOverwriteAndBadInputIsOneLine() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, CliFixture.run("train", CliFixture.config(dir, "relu", "scale: 0.00392156862745098").toString(), "--out", run.toString(),
                "--set", "training.epochs=1").exitCode());
        Path onnx = dir.resolve("model.onnx");
        Files.writeString(onnx, "mine");
        Outcome refused = CliFixture.run("export", run.toString(), "--out", onnx.toString());
        assertEquals(SparkTrain.EXIT_BAD_INPUT, refused.exitCode());
        assertEquals("error: " + onnx + ": file exists; use --overwrite to replace it", refused.errorLine());
        assertEquals("mine", Files.readString(onnx));

        Outcome replaced = CliFixture.run("export", run.toString(), "--out", onnx.toString(), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx.toString(),
                new OrtSession.SessionOptions())) {
            assertEquals(Integer.toString(CliFixture.CLASSES), session.getMetadata().getCustomMetadata()
                    .get("sparktrain.classes"));
            assertEquals(OnnxExporter.INPUT, session.getInputNames().iterator().next());
        }

        // The Spark ML model's export: the same file for the same model, and its outputs are the model's.
        Path fromMl = dir.resolve("ml.onnx");
        NeuralNetClassificationModel ml = NeuralNetClassificationModel.fromModelDirectory(run.resolve("model").toString());
        ml.exportOnnx(fromMl.toString());
        assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(fromMl));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> ml.exportOnnx(fromMl.toString()));
        assertEquals(fromMl + ": file exists; use --overwrite to replace it", exists.getMessage());
        float[] row = new float[CliFixture.SIDE * CliFixture.SIDE];
        for (int i = 0; i < row.length; i++) {
            row[i] = (i * 37) % 200;
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(fromMl.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(row), new long[] {1, row.length});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            float[] p = ((float[][]) result.get(OnnxExporter.PROBABILITIES).orElseThrow().getValue())[0];
            double[] expected = ml.predictProbability(Vectors.dense(toDoubles(row))).toArray();
            for (int c = 0; c < p.length; c++) {
                assertEquals(expected[c], p[c], 1e-5);
            }
            assertEquals((long) ml.predict(Vectors.dense(toDoubles(row))),
                    ((long[]) result.get(OnnxExporter.PREDICTED_CLASS).orElseThrow().getValue())[0]);
        }

        Outcome format = CliFixture.run("export", run.toString(), "--format", "tflite", "--out",
                dir.resolve("m.tflite").toString());
        assertEquals(SparkTrain.EXIT_BAD_INPUT, format.exitCode());
        assertEquals("error: --format 'tflite' is not an export format; expected onnx", format.errorLine());
        Outcome missing = CliFixture.run("export", dir.resolve("nothing").toString(), "--out",
                dir.resolve("n.onnx").toString());
        assertEquals(SparkTrain.EXIT_BAD_INPUT, missing.exitCode());
        assertEquals("error: " + dir.resolve("nothing") + ": model directory not found", missing.errorLine());
        Outcome noDir = CliFixture.run("export", run.toString(), "--out", dir.resolve("no/such/m.onnx").toString());
        assertEquals(SparkTrain.EXIT_BAD_INPUT, noDir.exitCode());
        assertFalse(noDir.hasCliStackTrace());
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
    }

    @TempDir
    static Path shared;

    private static double[] toDoubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** The CSV example data of bin/example-data, written once for all examples. */
    private static synchronized Path exampleData(boolean friedman) throws IOException {
        Path out = shared.resolve(friedman ? "friedman" : "fashion");
        if (!Files.isDirectory(out)) {
            if (friedman) {
                ExampleData.friedman(out);
            } else {
                ExampleData.fashion(FASHION, out);
            }
        }
        return out;
    }

    private static void assumeFashion() {
        assumeTrue(Files.isReadable(FASHION.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST not in " + FASHION.toAbsolutePath().normalize() + " (bin/fetch-fashion-mnist)");
    }

    /** Raw feature rows as predict reads them, row-major. */
    private record Rows(float[] features, int count, int width) {
    }

    /** The first rows of the Fashion-MNIST IDX files, and the --set arguments that point a config at them. */
    private List<String> idxSubset() throws IOException {
        String[][] files = {{"train-images-idx3-ubyte.gz", "train-images.gz", "train_images"},
            {"train-labels-idx1-ubyte.gz", "train-labels.gz", "train_labels"},
            {"t10k-images-idx3-ubyte.gz", "test-images.gz", "test_images"},
            {"t10k-labels-idx1-ubyte.gz", "test-labels.gz", "test_labels"}};
        List<String> args = new ArrayList<>();
        for (String[] f : files) {
            Path out = dir.resolve(f[1]);
            try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(
                    FASHION.resolve(f[0]))));
                 OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out))) {
                int magic = in.readInt();
                int dims = magic & 0xff;
                int[] shape = new int[dims];
                for (int d = 0; d < dims; d++) {
                    shape[d] = in.readInt();
                }
                int rows = f[1].startsWith("train") ? TRAIN_ROWS : TEST_ROWS;
                int rowBytes = 1;
                for (int d = 1; d < dims; d++) {
                    rowBytes *= shape[d];
                }
                java.io.DataOutputStream header = new java.io.DataOutputStream(gz);
                header.writeInt(magic);
                header.writeInt(rows);
                for (int d = 1; d < dims; d++) {
                    header.writeInt(shape[d]);
                }
                header.write(in.readNBytes(rows * rowBytes));
                header.flush();
            }
            args.addAll(List.of("--set", "data." + f[2] + "=" + out));
        }
        return args;
    }

    private static Rows idxRows(Path images) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(images)))) {
            in.readInt();
            int rows = in.readInt();
            int width = in.readInt() * in.readInt();
            byte[] bytes = in.readNBytes(rows * width);
            float[] x = new float[bytes.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = bytes[i] & 0xff;
            }
            return new Rows(x, rows, width);
        }
    }

    private static Rows csvRows(Path csv, String label) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> names = Arrays.asList(lines.get(0).split(","));
        int skip = names.indexOf(label);
        int width = names.size() - 1;
        float[] x = new float[(lines.size() - 1) * width];
        for (int r = 1, at = 0; r < lines.size(); r++) {
            String[] fields = lines.get(r).split(",");
            for (int c = 0; c < fields.length; c++) {
                if (c != skip) {
                    x[at++] = Float.parseFloat(fields[c]);
                }
            }
        }
        return new Rows(x, lines.size() - 1, width);
    }

    /** The header and first {@code rows} rows of a CSV file, as a new file in this test's directory. */
    private Path head(Path csv, int rows) throws IOException {
        Path out = dir.resolve("head-" + csv.getFileName());
        try (Stream<String> lines = Files.lines(csv)) {
            Files.write(out, lines.limit(rows + 1L).toList());
        }
        return out;
    }

    /** A top-level scalar of an example's YAML, e.g. {@code train_path}. */
    private static String value(String yaml, String key) {
        return yaml.lines().map(String::strip).filter(l -> l.startsWith(key + ":")).findFirst()
                .map(l -> l.substring(key.length() + 1).replaceAll("#.*", "").strip()).orElseThrow();
    }
}
