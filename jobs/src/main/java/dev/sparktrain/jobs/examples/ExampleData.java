package dev.sparktrain.jobs.examples;

import dev.sparktrain.jobs.data.idx.IdxFile;
import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Writes the CSV data sets of the example configs into {@code data/examples/}, deterministically, from what a fresh
 * machine can get: Fashion-MNIST (Debian's {@code dataset-fashion-mnist}, fetched by {@code bin/fetch-fashion-mnist})
 * and a fixed random seed. {@code bin/example-data} runs it; {@code bin/sparktrain} does when a config needs it.
 *
 * <ul>
 *   <li>{@code fashion7x7-{train,test}.csv}: Fashion-MNIST images averaged over 4x4 pixel squares (49 features, 0-255)
 *       with the class as {@code label}: small enough for a CSV, hard enough that a linear model stays below an MLP.
 *   <li>{@code sandal-{train,test}.csv}: the same features, label 1 for "sandal" and 0 for the nine other classes,
 *       keeping only every 10th sandal: about 1.1% positives, an imbalanced binary problem.
 *   <li>{@code friedman1-{train,test}.csv}: Friedman's (1991) regression benchmark, y = 10 sin(π x1 x2) +
 *       20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1) with ten features uniform in [0, 1] (five carry no signal); in the
 *       training set 5% of the targets are replaced by gross outliers (±10..30 added), the test set is clean.
 * </ul>
 * Each file is written under a temporary name and renamed; existing files are kept.
 */
public final class ExampleData {

    static final int SANDAL = 5;
    static final int POOL = 4;

    private ExampleData() {
    }

    /** {@code ExampleData FASHION_DIR OUT_DIR}. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ExampleData FASHION_MNIST_DIR OUT_DIR");
            System.exit(2);
        }
        try {
            fashion(Path.of(args[0]), Path.of(args[1]));
            friedman(Path.of(args[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Fashion-MNIST CSVs ({@code fashion7x7-*}, {@code sandal-*}) from the four IDX files in {@code fashion}. */
    public static void fashion(Path fashion, Path out) throws IOException {
        Files.createDirectories(out);
        for (String split : new String[] {"train", "t10k"}) {
            String name = split.equals("t10k") ? "test" : "train";
            int rows = split.equals("t10k") ? 10_000 : 60_000;
            float[] images = IdxFile.readRows(fashion.resolve(split + "-images-idx3-ubyte.gz").toString(), 0, rows, 1f);
            float[] labels = IdxFile.readRows(fashion.resolve(split + "-labels-idx1-ubyte.gz").toString(), 0, rows, 1f);
            float[] pooled = pool(images, labels.length);
            write(out.resolve("fashion7x7-" + name + ".csv"), pooled, labels, r -> true, label -> label);
            int[] sandals = {0};
            write(out.resolve("sandal-" + name + ".csv"), pooled, labels,
                    r -> labels[r] != SANDAL || sandals[0]++ % 10 == 0, label -> label == SANDAL ? 1 : 0);
        }
    }

    /** The Friedman #1 CSVs ({@code friedman1-*}): 20,000 training rows with outliers, 5,000 clean test rows. */
    public static void friedman(Path out) throws IOException {
        Files.createDirectories(out);
        friedman(out.resolve("friedman1-train.csv"), 20_000, 1, 0.05);
        friedman(out.resolve("friedman1-test.csv"), 5_000, 2, 0);
    }

    /** 28x28 images to 7x7 means of 4x4 squares. */
    static float[] pool(float[] images, int n) {
        int side = 28 / POOL;
        float[] out = new float[n * side * side];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    out[i * side * side + (y / POOL) * side + x / POOL] += images[i * 784 + y * 28 + x]
                            / (POOL * POOL);
                }
            }
        }
        return out;
    }

    private static void write(Path file, float[] features, float[] labels, IntPredicate keep,
                              java.util.function.IntUnaryOperator label) throws IOException {
        int f = features.length / labels.length;
        writeAtomically(file, w -> {
            w.write(header(f));
            for (int r = 0; r < labels.length; r++) {
                if (!keep.test(r)) {
                    continue;
                }
                w.write(Integer.toString(label.applyAsInt((int) labels[r])));
                for (int j = 0; j < f; j++) {
                    w.write(',');
                    w.write(Integer.toString(Math.round(features[r * f + j])));
                }
                w.write('\n');
            }
        });
    }

    private static void friedman(Path file, int rows, long seed, double outliers) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        writeAtomically(file, w -> {
            w.write("y");
            for (int j = 1; j <= 10; j++) {
                w.write(",x" + j);
            }
            w.write('\n');
            double[] x = new double[10];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < 10; j++) {
                    x[j] = random.nextDouble();
                }
                double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3]
                        + 5 * x[4] + gaussian(random);
                if (random.nextDouble() < outliers) {
                    y += (random.nextBoolean() ? 1 : -1) * random.nextDouble(10, 30);
                }
                w.write(String.format(Locale.ROOT, "%.5f", y));
                for (double v : x) {
                    w.write(String.format(Locale.ROOT, ",%.5f", v));
                }
                w.write('\n');
            }
        });
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static String header(int features) {
        StringBuilder sb = new StringBuilder("label");
        for (int j = 0; j < features; j++) {
            sb.append(",p").append(j);
        }
        return sb.append('\n').toString();
    }

    private interface Body {
        void write(BufferedWriter w) throws IOException;
    }

    private static void writeAtomically(Path file, Body body) {
        if (Files.exists(file)) {
            return;
        }
        AtomicFiles.write(file, temp -> {
            try (BufferedWriter w = Files.newBufferedWriter(temp)) {
                body.write(w);
            }
        });
        System.out.println("example-data: wrote " + file);
    }
}
