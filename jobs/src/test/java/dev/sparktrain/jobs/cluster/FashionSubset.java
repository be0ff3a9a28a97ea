package dev.sparktrain.jobs.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A shortened Fashion-MNIST run for the cluster tests: the example MLP config ({@code conf/examples/fashion-mlp.yaml})
 * pointed at the first 6,000 training and 1,000 test rows of the real data set, written as small IDX files. When the
 * real files are absent (bin/fetch-fashion-mnist could not fetch them), synthetic learnable 28x28 images of 10
 * classes stand in, so the cluster behaviour is tested either way; only the accuracy floor differs.
 */
final class FashionSubset {

    static final int TRAIN_ROWS = 6000;
    static final int TEST_ROWS = 1000;
    private static final int SIDE = 28;
    private static final String[][] FILES = {
        {"train-images-idx3-ubyte.gz", "train-images.gz"}, {"train-labels-idx1-ubyte.gz", "train-labels.gz"},
        {"t10k-images-idx3-ubyte.gz", "test-images.gz"}, {"t10k-labels-idx1-ubyte.gz", "test-labels.gz"}};

    /** The config to train and the least test accuracy a finished one-epoch run must reach on this data. */
    record Data(Path config, boolean real, double minAccuracy) {
    }

    private FashionSubset() {
    }

    static Data write(Path repoRoot, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path source = repoRoot.resolve("data/fashion-mnist");
        boolean real = true;
        for (String[] f : FILES) {
            real &= Files.isRegularFile(source.resolve(f[0]));
        }
        if (real) {
            for (String[] f : FILES) {
                int rows = f[1].startsWith("train") ? TRAIN_ROWS : TEST_ROWS;
                gzip(dir.resolve(f[1]), firstRows(source.resolve(f[0]), rows));
            }
        } else {
            synthetic(dir, "train", TRAIN_ROWS, 1);
            synthetic(dir, "test", TEST_ROWS, 2);
        }
        String example = Files.readString(repoRoot.resolve("conf/examples/fashion-mlp.yaml"));
        for (String[] f : FILES) {
            String original = "data/fashion-mnist/" + f[0];
            if (!example.contains(original)) {
                throw new IllegalStateException("conf/examples/fashion-mlp.yaml no longer names " + original);
            }
            example = example.replace(original, dir.resolve(f[1]).toString());
        }
        Path config = dir.resolve("fashion-mlp-subset.yaml");
        Files.writeString(config, example);
        // One epoch of 6,000 real rows reaches ~0.78 here; the synthetic bands are easy.
        return new Data(config, real, real ? 0.70 : 0.90);
    }

    /** The header of an IDX file with its first dimension cut to {@code rows}, and the first {@code rows} items. */
    private static byte[] firstRows(Path gz, int rows) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            byte[] magic = in.readNBytes(4);
            int dims = magic[3];
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(4 * dims));
            int total = header.getInt(0);
            if (total < rows) {
                throw new IllegalStateException(gz + " has " + total + " rows, fewer than " + rows);
            }
            long rowBytes = 1;
            for (int d = 1; d < dims; d++) {
                rowBytes *= header.getInt(4 * d);
            }
            header.putInt(0, rows);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(magic);
            out.write(header.array());
            out.write(in.readNBytes((int) (rows * rowBytes)));
            return out.toByteArray();
        }
    }

    /** Class k lights up rows 2k+4..2k+6 of a 28x28 image, on noise. */
    private static void synthetic(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * SIDE * SIDE).putInt(0x803).putInt(n).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(10);
            labels.put((byte) label);
            for (int p = 0; p < SIDE * SIDE; p++) {
                int row = p / SIDE;
                boolean lit = row >= 2 * label + 4 && row < 2 * label + 7;
                images.put((byte) (random.nextInt(90) + (lit ? 150 : 0)));
            }
        }
        gzip(dir.resolve(prefix + "-images.gz"), images.array());
        gzip(dir.resolve(prefix + "-labels.gz"), labels.array());
    }

    private static void gzip(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }
}
