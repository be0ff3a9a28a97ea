package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.SparkFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny learnable IDX data set (class k lights up row k of a 4x4 image, plus noise), a config for it, and running
 * the CLI with its output captured.
 */
final class CliFixture {

    static final int SIDE = 4;
    static final int CLASSES = 3;

    private CliFixture() {
    }

    record Outcome(int exitCode, String out, String err) {
        /** The last line on stderr: the CLI's own message (Spark may log before it). */
        String errorLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }

        /**
         * Whether the CLI printed a stack trace: its traces run through {@code SparkTrain.run}. Stderr is the whole
         * JVM's, so a trace some earlier test's Spark thread prints late does not count.
         */
        boolean hasCliStackTrace() {
            return err.contains("at dev.sparktrain.jobs.cli.SparkTrain.run");
        }

        /** The value of {@code key=} on the line starting with {@code prefix}. */
        String field(String prefix, String key) {
            Matcher m = Pattern.compile("(?m)^" + prefix + " .*\\b" + key + "=(\\S+)").matcher(out);
            if (!m.find()) {
                throw new AssertionError("no " + prefix + " line with " + key + " in:\n" + out + err);
            }
            return m.group(1);
        }
    }

    static Outcome run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SparkFixture.stop();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SparkTrain.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void writeData(Path dir, String prefix, int n, long seed) throws IOException {
        writeData(dir, prefix, n, seed, CLASSES);
    }

    /** {@code n} rows whose labels are the classes {@code 0..classes-1}, class k lighting up row k. */
    static void writeData(Path dir, String prefix, int n, long seed, int classes) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * SIDE * SIDE).putInt(0x803).putInt(n).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes);
            labels.put((byte) label);
            for (int p = 0; p < SIDE * SIDE; p++) {
                images.put((byte) (random.nextInt(60) + (p / SIDE == label ? 120 : 0)));
            }
        }
        Files.write(dir.resolve(prefix + "-images"), images.array());
        Files.write(dir.resolve(prefix + "-labels"), labels.array());
    }

    /**
     * Data (600 training rows, 200 test rows) and {@code tiny.yaml} in {@code dir}: 16-{@code hidden}-3 with the
     * given activation and data.normalize line.
     */
    static Path config(Path dir, String activation, String normalize) throws IOException {
        writeData(dir, "train", 600, 1);
        writeData(dir, "test", 200, 2);
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                name: tiny
                data:
                  train_images: %1$s/train-images
                  train_labels: %1$s/train-labels
                  test_images: %1$s/test-images
                  test_labels: %1$s/test-labels
                  %2$s
                model:
                  input_shape: [16]
                  layers:
                    - {type: dense, units: 12, activation: %3$s}
                    - {type: dense, units: 3}
                  loss: softmax_cross_entropy
                optimizer: {type: adam, lr: 0.01}
                training: {epochs: 2, batch_size_per_worker: 16, workers: 2, seed: 3, eval_batch_size: 64}
                """.formatted(dir, normalize, activation));
        return config;
    }
}
