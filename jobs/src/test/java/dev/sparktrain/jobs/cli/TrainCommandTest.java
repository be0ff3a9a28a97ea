package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train command end to end on local Spark: a small learnable IDX data set, the RESULT line, the run directory;
 * bad input ends with one line and exit code 2, and an existing run is never overwritten by accident.
 */
class TrainCommandTest {

    private static final int SIDE = 4;
    private static final int CLASSES = 3;

    /** Class k lights up row k of a 4x4 image, plus noise: learnable to near 100%. */
    private static void writeData(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * SIDE * SIDE).putInt(0x803).putInt(n).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            labels.put((byte) label);
            for (int p = 0; p < SIDE * SIDE; p++) {
                int value = random.nextInt(60) + (p / SIDE == label ? 180 : 0);
                images.put((byte) value);
            }
        }
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images.gz")))) {
            out.write(images.array());
        }
        Files.write(dir.resolve(prefix + "-labels"), labels.array());
    }

    private static Path config(Path dir) throws IOException {
        writeData(dir, "train", 600, 1);
        writeData(dir, "test", 200, 2);
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                name: tiny
                data:
                  train_images: %1$s/train-images.gz
                  train_labels: %1$s/train-labels
                  test_images: %1$s/test-images.gz
                  test_labels: %1$s/test-labels
                  scale: 0.00392156862745098
                model:
                  input_shape: [16]
                  layers:
                    - {type: dense, units: 16, activation: relu}
                    - {type: dense, units: 3}
                  loss: softmax_cross_entropy
                optimizer: {type: adam, lr: 0.01}
                training: {epochs: 3, batch_size_per_worker: 16, workers: 2, seed: 3}
                """.formatted(dir));
        return config;
    }

    private static CliFixture.Outcome run(String... args) {
        return CliFixture.run(args);
    }

    @Test
    void trainsToHighAccuracyPrintsTheResultLineAndWritesTheRunDirectory(@TempDir Path dir) throws IOException {
        Path config = config(dir);
        Path runDir = dir.resolve("run");
        CliFixture.Outcome outcome = run("train", config.toString(), "--out", runDir.toString());
        assertEquals(0, outcome.exitCode(), outcome.err());
        Matcher result = Pattern.compile("(?m)^RESULT name=sparktrain model=tiny mode=sync epochs=3 sec_per_epoch=\\S+"
                + " samples_per_sec=\\S+ test_acc=(\\S+) test_loss=\\S+$").matcher(outcome.out());
        assertTrue(result.find(), outcome.out());
        assertTrue(Double.parseDouble(result.group(1)) >= 0.95, result.group());
        assertTrue(outcome.out().contains("epoch 3/3"), outcome.out());
        for (String file : new String[] {"config.yaml", "model/params.npy", "model/layout.json", "model/config.yaml",
                "metrics.jsonl", "confusion.json", "report.html", "report-confusion.png"}) {
            assertTrue(Files.isRegularFile(runDir.resolve(file)), file);
        }
        try (var checkpoints = Files.list(runDir.resolve("checkpoints"))) {
            assertTrue(checkpoints.findAny().isPresent());
        }
        // numpy's format: magic, version 1.0, a header naming float32 and the parameter count.
        byte[] npy = Files.readAllBytes(runDir.resolve("model/params.npy"));
        String header = new String(npy, 0, 128, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("\u0093NUMPY") && header.contains("'descr': '<f4'")
                && header.contains("'shape': (" + (16 * 16 + 16 + 16 * 3 + 3) + ",)"), header);

        CliFixture.Outcome again = run("train", config.toString(), "--out", runDir.toString());
        assertEquals(2, again.exitCode());
        assertEquals("error: " + runDir + ": run directory exists; use --resume to continue it or --overwrite to"
                + " replace it", again.errorLine());
        assertTrue(Files.isRegularFile(runDir.resolve("model/params.npy")), "the earlier run is untouched");
    }

    @Test
    void badInputEndsWithOneLineAndExitCodeTwoWithoutWritingARun(@TempDir Path dir) throws IOException {
        Path config = config(dir);
        Files.delete(dir.resolve("train-labels"));
        Path runDir = dir.resolve("run");
        CliFixture.Outcome missing = run("train", config.toString(), "--out", runDir.toString());
        assertEquals(2, missing.exitCode());
        String line = missing.errorLine();
        assertFalse(missing.hasCliStackTrace(), "no stack trace: " + missing.err());
        assertTrue(line.startsWith("error: ") && line.contains("train-labels") && line.endsWith(": no such file or directory"), line);

        CliFixture.Outcome typo = run("train", config.toString(), "--set", "training.epoch=2", "--out", runDir.toString());
        assertEquals(2, typo.exitCode());
        assertEquals("error: unknown field 'training.epoch'; did you mean 'epochs'?", typo.errorLine());
        assertFalse(Files.exists(runDir.resolve("model")));
    }
}
