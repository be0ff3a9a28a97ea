package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gradcheck and sanity on a small config with real (tiny) training data. */
class DebugCommandsTest {

    @TempDir
    Path dir;

    @Test
    void gradcheckPassesForASmoothNetworkAndFailsAgainstAnImpossibleThreshold() throws IOException {
        Path config = CliFixture.config(dir, "tanh", "normalize: standardize");
        Outcome ok = CliFixture.run("gradcheck", config.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertEquals("0", ok.field("GRADCHECK", "failed"));
        assertEquals("4", ok.field("GRADCHECK", "tensors"));
        assertTrue(ok.out().contains("0.dense.W") && ok.out().contains("PASS"), ok.out());
        assertTrue(Double.parseDouble(ok.field("GRADCHECK", "worst")) < 1e-6, ok.out());

        Outcome strict = CliFixture.run("gradcheck", config.toString(), "--threshold", "1e-300");
        assertEquals(SparkTrain.EXIT_FAILURE, strict.exitCode(), strict.out());
        assertTrue(strict.out().contains("FAIL (worst at element"), strict.out());
    }

    @Test
    void gradcheckWarnsAboutKinks() throws IOException {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        Outcome o = CliFixture.run("gradcheck", config.toString(), "--samples", "2");
        assertTrue(o.out().contains("warning: layer 0 dense: relu is not smooth"), o.out());
    }

    @Test
    void sanityPassesOnALearnableBatch() throws IOException {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        Outcome o = CliFixture.run("sanity", config.toString(), "--set", "model.regularization={l2: 0.5}");
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("regularization and dropout off"), o.out());
        assertTrue(o.out().matches("(?s).*PASS +initial loss .*ln\\(3\\).*"), o.out());
        assertTrue(o.out().matches("(?s).*(PASS|WARN) +dead ReLU  layer 0 dense.*"), o.out());
        assertTrue(o.out().matches("(?s).*(PASS|WARN) +update ratio  layer 0\\.dense .*"), o.out());
        assertTrue(o.out().matches("(?s).*PASS +overfit one batch +accuracy 1\\.0000 \\(32/32\\).*"), o.out());
        assertEquals("0", o.field("SANITY", "warn"), o.out());
    }

    @Test
    void inspectShowsActivationsKernelsAndPlainValues() throws IOException {
        Path config = CliFixture.config(dir, "tanh", "scale: 0.00392156862745098");
        Files.writeString(config, Files.readString(config).replace("optimizer: {type: adam, lr: 0.01}",
                "optimizer: {type: adam, lr: 0.01}\n").replace("loss: softmax_cross_entropy",
                "loss: softmax_cross_entropy\n  regularization: {l2: 0.0005}"));
        Outcome o = CliFixture.run("inspect", config.toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("regularization l2 0.0005\n"), o.out());
        assertTrue(o.out().matches("(?s).*\n +0  dense +tanh +12 +204 +0\n.*"), o.out());
        assertTrue(o.out().contains("optimizer: type adam, lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8"), o.out());
        assertFalse(o.out().contains("Regularization[") || o.out().contains("=") || o.out().contains("1.0E"),
                "no Java record or map text: " + o.out());
    }

    @Test
    void inspectShowsConvolutionKernelsAndTheLastEpochsCountsAsIntegers() throws IOException {
        Path config = dir.resolve("cnn.yaml");
        Files.writeString(config, """
                name: cnn
                data: {train_images: a, train_labels: b}
                model:
                  input_shape: [1, 8, 8]
                  layers:
                    - {type: conv2d, filters: 4, kernel: 3, padding: same, activation: relu}
                    - {type: maxpool2d, kernel: 2}
                    - {type: flatten}
                    - {type: dense, units: 3}
                  loss: softmax_cross_entropy
                optimizer: {type: sgd, lr: 0.1}
                """);
        Outcome o = CliFixture.run("inspect", config.toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().matches("(?s).*\n +0  conv2d +relu +3x3 stride 1x1 same +4x8x8 +40 +0\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*\n +1  maxpool2d +2x2 stride 2x2 valid +4x4x4 +0 +0\n.*"), o.out());

        Path run = Files.createDirectories(dir.resolve("run"));
        dev.sparktrain.jobs.config.ConfigTree tree = dev.sparktrain.jobs.config.ConfigTree.read(config);
        dev.sparktrain.jobs.config.RunConfig parsed = dev.sparktrain.jobs.config.RunConfigParser.parse(tree);
        dev.sparktrain.jobs.run.ModelWriter.write(run.resolve("model"), tree.toYaml(), parsed.model(),
                parsed.model().initialParameters(1, org.nd4j.linalg.api.buffer.DataType.FLOAT),
                dev.sparktrain.jobs.run.ModelNormalization.of(parsed.data(), 64, null));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"type\":\"epoch\",\"epoch\":2,\"epochs\":2,"
                + "\"rounds\":38,\"samples\":300,\"trainLoss\":0.30324285569420934,\"trainSeconds\":4.5}\n");
        Outcome model = CliFixture.run("inspect", run.toString());
        assertEquals(0, model.exitCode(), model.out() + model.err());
        assertTrue(model.out().contains("last epoch: epoch=2 epochs=2 rounds=38 samples=300 trainLoss=0.303243 "
                + "trainSeconds=4.5\n"), model.out());
    }
}
