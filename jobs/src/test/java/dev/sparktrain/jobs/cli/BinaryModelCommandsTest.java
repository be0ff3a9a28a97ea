package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary classifier (one output, binary cross-entropy on logits) through evaluate and predict: both treat it as a
 * two-class model, with probabilities (1 − p, p) and class 1 when p ≥ 0.5, and reproduce training's test accuracy.
 */
class BinaryModelCommandsTest {

    @TempDir
    static Path dir;
    static Path runDir;
    static Outcome train;

    @BeforeAll
    static void trainOnce() throws IOException {
        CliFixture.writeData(dir, "train", 600, 1, 2);
        CliFixture.writeData(dir, "test", 200, 2, 2);
        Path config = dir.resolve("binary.yaml");
        Files.writeString(config, """
                name: binary
                data:
                  train_images: %1$s/train-images
                  train_labels: %1$s/train-labels
                  test_images: %1$s/test-images
                  test_labels: %1$s/test-labels
                model:
                  input_shape: [16]
                  layers:
                    - {type: dense, units: 8, activation: tanh}
                    - {type: dense, units: 1}
                  loss: binary_cross_entropy_with_logits
                optimizer: {type: adam, lr: 0.01}
                training: {epochs: 2, batch_size_per_worker: 16, workers: 2, seed: 5, eval_batch_size: 64}
                """.formatted(dir));
        runDir = dir.resolve("run");
        train = CliFixture.run("train", config.toString(), "--out", runDir.toString());
        assertEquals(0, train.exitCode(), train.out() + train.err());
    }

    @Test
    void predictWritesBothClassesProbabilitiesAndTheClassAtOneHalf() throws IOException {
        Path csv = dir.resolve("pred.csv");
        Outcome predict = CliFixture.run("predict", runDir.toString(), "--out", csv.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("row,label,predicted,p0,p1", lines.get(0));
        assertEquals(201, lines.size());
        int correct = 0;
        int ones = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int predicted = Integer.parseInt(f[2]);
            double p0 = Double.parseDouble(f[3]);
            double p1 = Double.parseDouble(f[4]);
            assertEquals(1.0, p0 + p1, 1e-6, line);
            assertEquals(p1 >= 0.5 ? 1 : 0, predicted, line);
            correct += (int) Double.parseDouble(f[1]) == predicted ? 1 : 0;
            ones += predicted;
        }
        assertTrue(ones > 20 && ones < 180, "both classes predicted: " + ones + " of 200 are 1");
        assertEquals(train.field("RESULT", "test_acc"), String.format(Locale.ROOT, "%.4f", correct / 200.0));
    }

    @Test
    void evaluateReportsTwoClassesAndTrainingsAccuracy() {
        Outcome eval = CliFixture.run("evaluate", runDir.toString());
        assertEquals(0, eval.exitCode(), eval.out() + eval.err());
        assertEquals(train.field("RESULT", "test_acc"),
                String.format(Locale.ROOT, "%.4f", Double.parseDouble(eval.field("EVAL", "accuracy"))));
        assertEquals("2", eval.field("EVAL", "top_k"), "default k = min(5, classes), 2 classes");
        assertEquals(1.0, Double.parseDouble(eval.field("EVAL", "top_k_accuracy")));
        Outcome top1 = CliFixture.run("evaluate", runDir.toString(), "--top-k", "1");
        assertEquals(0, top1.exitCode(), top1.err());
        assertEquals(top1.field("EVAL", "accuracy"), top1.field("EVAL", "top_k_accuracy"), "top-1 is accuracy");
    }
}
