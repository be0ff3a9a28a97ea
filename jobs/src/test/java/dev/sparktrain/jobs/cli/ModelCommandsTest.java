package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate, predict and inspect on a model trained once with {@code data.normalize: standardize}: evaluation
 * reproduces training's final test accuracy (so the saved normalisation is applied), and predict's classes
 * reproduce evaluate's accuracy exactly, in CSV and Parquet.
 */
class ModelCommandsTest {

    @TempDir
    static Path dir;
    static Path runDir;
    static Outcome train;

    @BeforeAll
    static void trainOnce() throws IOException {
        Path config = CliFixture.config(dir, "relu", "normalize: standardize");
        runDir = dir.resolve("run");
        train = CliFixture.run("train", config.toString(), "--out", runDir.toString());
        assertEquals(0, train.exitCode(), train.out() + train.err());
    }

    @Test
    void evaluateReproducesTrainingTestAccuracyAndPrintsEveryMetric() {
        Outcome eval = CliFixture.run("evaluate", runDir.resolve("model").toString());
        assertEquals(0, eval.exitCode(), eval.err());
        double accuracy = Double.parseDouble(eval.field("EVAL", "accuracy"));
        assertEquals(train.field("RESULT", "test_acc"), String.format(Locale.ROOT, "%.4f", accuracy), eval.out());
        assertEquals(train.field("RESULT", "test_loss"),
                String.format(Locale.ROOT, "%.4f", Double.parseDouble(eval.field("EVAL", "loss"))));
        assertEquals("200", eval.field("EVAL", "rows"));
        assertEquals("3", eval.field("EVAL", "top_k"), "default k = min(5, classes)");
        assertEquals(1.0, Double.parseDouble(eval.field("EVAL", "top_k_accuracy")));
        assertTrue(eval.out().contains("precision") && eval.out().contains("macro")
                && eval.out().contains("confusion matrix (rows actual, columns predicted)"), eval.out());

        Outcome top1 = CliFixture.run("evaluate", runDir.toString(), "--top-k", "1");
        assertEquals(0, top1.exitCode(), top1.err());
        assertEquals(top1.field("EVAL", "accuracy"), top1.field("EVAL", "top_k_accuracy"), "top-1 is accuracy");
    }

    @Test
    void predictReproducesEvaluateAccuracyExactlyInCsvAndParquet() throws IOException {
        Outcome eval = CliFixture.run("evaluate", runDir.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        Path csv = dir.resolve("pred.csv");
        Outcome predict = CliFixture.run("predict", runDir.toString(), "--out", csv.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("row,label,predicted,p0,p1,p2", lines.get(0));
        assertEquals(201, lines.size());
        int correct = 0;
        int[] predicted = new int[200];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(i - 1, Integer.parseInt(f[0]), "rows in input order");
            predicted[i - 1] = Integer.parseInt(f[2]);
            correct += Integer.parseInt(f[1]) == predicted[i - 1] ? 1 : 0;
            double sum = Double.parseDouble(f[3]) + Double.parseDouble(f[4]) + Double.parseDouble(f[5]);
            assertEquals(1.0, sum, 1e-5, "probabilities of row " + (i - 1));
        }
        assertEquals(eval.field("EVAL", "accuracy"), String.format(Locale.ROOT, "%.6f", correct / 200.0));

        Path parquet = dir.resolve("pred.parquet");
        Outcome p2 = CliFixture.run("predict", runDir.toString(), "--out", parquet.toString(),
                "--data", dir.resolve("test-images").toString(), "--labels", dir.resolve("test-labels").toString());
        assertEquals(0, p2.exitCode(), p2.err());
        List<Integer> fromParquet = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(parquet.toUri())).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                assertEquals(fromParquet.size(), g.getLong("row", 0));
                fromParquet.add(g.getInteger("predicted", 0));
            }
        }
        assertArrayEquals(predicted, fromParquet.stream().mapToInt(Integer::intValue).toArray());

        Outcome again = CliFixture.run("predict", runDir.toString(), "--out", csv.toString(), "--overwrite");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(lines, Files.readAllLines(csv), "the same predictions again");
    }

    @Test
    void inspectDescribesModelAndConfig() {
        Outcome model = CliFixture.run("inspect", runDir.toString());
        assertEquals(0, model.exitCode(), model.err());
        assertTrue(model.out().contains("0  dense") && model.out().contains("total: 243 parameters"), model.out());
        assertTrue(model.out().contains("normalization.json (standardize"), model.out());
        assertTrue(model.out().contains("mode sync") && model.out().contains("optimizer: type adam, lr 0.01"), model.out());
        assertTrue(model.out().contains("2 epochs logged"), model.out());

        Outcome config = CliFixture.run("inspect", dir.resolve("tiny.yaml").toString(), "--set",
                "model.layers.0.units=20");
        assertEquals(0, config.exitCode(), config.err());
        assertTrue(config.out().contains("total: " + (16 * 20 + 20 + 20 * 3 + 3) + " parameters"), config.out());
    }
}
