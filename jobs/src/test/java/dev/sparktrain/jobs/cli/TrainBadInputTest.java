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

/**
 * The list of bad inputs, each through {@code sparktrain train} on a small CSV: one line on stderr naming
 * the file, row or field, exit code 2, no stack trace, and nothing changed: no run directory left behind, every
 * file as it was (listed and hashed before and after).
 */
class TrainBadInputTest {

    @TempDir
    Path dir;

    /** 3 classes, 4 features, {@code rows} good rows (class k has feature k large). */
    private Path csv(String name, int rows, String... extraLines) throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < rows; i++) {
            int k = i % 3;
            sb.append(k == 0 ? 5 : 0).append(',').append(k == 1 ? 5 : 0).append(',').append(k == 2 ? 5 : 0)
                    .append(',').append(i % 7).append(',').append(k).append('\n');
        }
        for (String line : extraLines) {
            sb.append(line).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb.toString());
        return file;
    }

    private Path config(Path train) throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                name: bad
                data: {format: csv, train_path: %s, header: true}
                model:
                  input_shape: [4]
                  layers: [{type: dense, units: 3}]
                  loss: softmax_cross_entropy
                optimizer: {type: sgd, lr: 0.1}
                training: {epochs: 1, batch_size_per_worker: 4, workers: 2}
                """.formatted(train));
        return config;
    }

    /** Runs train and checks the common contract; returns the error line without "error: ". */
    private String refused(Path config, String... extra) {
        return refused(SparkTrain.EXIT_BAD_INPUT, config, extra);
    }

    /**
     * As above with the given exit code: one line, no stack trace, no run directory, and every file that was there
     * before (config, data) unchanged.
     */
    private String refused(int exitCode, Path config, String... extra) {
        Path runDir = dir.resolve("run");
        String[] args = new String[4 + extra.length];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--out";
        args[3] = runDir.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        java.util.Map<String, String> before = FileHashes.of(dir);
        Outcome o = CliFixture.run(args);
        assertEquals(before, FileHashes.of(dir), "nothing the user had changed, nothing added");
        assertEquals(exitCode, o.exitCode(), o.out() + o.err());
        assertFalse(o.hasCliStackTrace(), "no stack trace: " + o.err());
        assertTrue(o.errorLine().startsWith("error: "), o.errorLine());
        assertFalse(Files.exists(runDir), "no run directory left behind");
        return o.errorLine().substring("error: ".length());
    }

    @Test
    void missingFile() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertEquals(missing + ": no such file or directory", refused(config(missing)));
    }

    @Test
    void wrongFormat() throws IOException {
        Path binary = dir.resolve("images.csv");
        Files.write(binary, new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 7, 7, 7, 7});
        assertEquals(binary + " line 1: holds control characters (binary data), expected CSV text; is data.format "
                + "right?", refused(config(binary)));
        Path text = csv("text.csv", 10, "1,2,three,4,0");
        assertEquals(text + " line 12: field 'c' is 'three', expected a number", refused(config(text)));
    }

    @Test
    void augmentingVectorsOrBadAugmentValues() throws IOException {
        Path config = config(csv("rows.csv", 10));
        assertEquals("data.augment needs image inputs, model.input_shape [C, H, W], got input_shape [4]",
                refused(config, "--set", "data.augment.horizontal_flip=true"));
        assertEquals("data.augment.random_crop.padding: expected a whole number in [1, 1048576], got -2",
                refused(config, "--set", "data.augment.random_crop.padding=-2"));
    }

    @Test
    void wrongFeatureCountOnARow() throws IOException {
        Path file = csv("short.csv", 10, "1,2,3,0");
        assertEquals(file + " line 12: has 4 fields, expected 5", refused(config(file)));
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path file = csv("label.csv", 10, "1,2,3,4,3");
        assertEquals(file + " line 12: field 'label': label 3 is not a class index, expected a whole number in "
                + "[0, 2]", refused(config(file)));
    }

    @Test
    void nanOrInfiniteFeature() throws IOException {
        Path nan = csv("nan.csv", 10, "1,NaN,3,4,0");
        assertEquals(nan + " line 12: field 'b' is 'NaN', expected a finite number", refused(config(nan)));
        Path inf = csv("inf.csv", 10, "1,2,Infinity,4,0");
        assertEquals(inf + " line 12: field 'c' is 'Infinity', expected a finite number", refused(config(inf)));
    }

    @Test
    void emptyDataSetAndFewerRowsThanWorkers() throws IOException {
        Path empty = csv("empty.csv", 0);
        assertEquals(empty + ": has no rows, only a header", refused(config(empty)));
        Path one = csv("one.csv", 1);
        assertEquals(one + ": 1 rows cannot feed 2 workers (training.workers); use fewer workers or more data",
                refused(config(one)));
    }

    @Test
    void typoInAConfigKeyAndOutOfRangeHyperParameters() throws IOException {
        Path config = config(csv("ok.csv", 12));
        assertEquals("unknown field 'training.worker'; did you mean 'workers'?",
                refused(config, "--set", "training.worker=8"));
        Files.writeString(config, Files.readString(config).replace("type: sgd, lr: 0.1", "type: adam, beta2: 1.5"));
        assertEquals("optimizer.beta2 must be in [0, 1), got 1.5", refused(config));
        assertEquals("training.epochs: expected a whole number in [1, 1000000], got 0",
                refused(config, "--set", "optimizer.beta2=0.999", "--set", "training.epochs=0"));
    }

    @Test
    void anExistingFolderThatIsNotARunIsRefusedEvenWithOverwrite() throws IOException {
        Path config = config(csv("ok.csv", 12));
        Path runDir = dir.resolve("existing");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("keep.txt"), "an earlier run");
        Outcome refused = CliFixture.run("train", config.toString(), "--out", runDir.toString());
        assertEquals(SparkTrain.EXIT_BAD_INPUT, refused.exitCode());
        assertEquals("error: " + runDir + ": exists, is not empty and is not a sparktrain run directory; choose"
                + " another --out", refused.errorLine());
        Outcome overwrite = CliFixture.run("train", config.toString(), "--out", runDir.toString(), "--overwrite");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, overwrite.exitCode());
        assertEquals("error: --overwrite refuses to replace " + runDir + ": it is not a sparktrain run directory (no"
                + " .sparktrain-run); --overwrite replaces only runs sparktrain created", overwrite.errorLine());
        assertEquals("an earlier run", Files.readString(runDir.resolve("keep.txt")));
    }

    @Test
    void absurdNumbersAndSettingsFailBeforeSparkStarts() throws IOException {
        Path file = csv("rows.csv", 12);
        Path config = config(file);
        assertEquals("training.epochs: expected a whole number in [1, 1000000], got 1e12",
                refused(config, "--set", "training.epochs=1e12"));
        assertEquals("training.workers: expected a whole number in [1, 1024], got 10000",
                refused(config, "--set", "training.workers=10000"));
        assertEquals(file + ": 12 rows cannot feed 50 workers (training.workers); use fewer workers or more data",
                refused(config, "--set", "training.workers=50"));
    }

    @Test
    void sparkMasterUnparsableOrNotAnswering() throws IOException {
        Path config = config(csv("ok.csv", 12));
        assertEquals("spark.master 'foo' is not a Spark master URL; expected local, local[N], local[*], "
                + "spark://HOST:PORT, yarn or k8s://https://HOST:PORT", refused(config, "--set", "spark.master=foo"));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertEquals("cannot reach the Spark master spark://127.0.0.1:" + port + " (connection refused); start it "
                + "(bin/local-cluster start) or fix spark.master", refused(SparkTrain.EXIT_ENVIRONMENT, config,
                "--set", "spark.master=spark://127.0.0.1:" + port));
    }

    @Test
    void yamlMistakesAndOptionsAreOneLine() throws IOException {
        Path config = config(csv("ok.csv", 12));
        Files.writeString(config, Files.readString(config) + "training: {epochs: 3}\n");
        assertEquals(config + " line 9: key 'training' is given twice in the same section, first on line 8; keep one",
                refused(config));
        Files.writeString(config, "");
        assertEquals(config + ": is empty, expected a YAML mapping with the sections name, data, model, optimizer, "
                + "training (see conf/examples/)", refused(config));
        assertEquals("Unknown option: '--bogus'; see 'sparktrain train --help'", refused(config, "--bogus"));
    }

    @Test
    void aTrailingDelimiterIsNamed() throws IOException {
        Path file = dir.resolve("trailing.csv");
        Files.writeString(file, Files.readString(csv("ok.csv", 12)).replace("\n", ",\n"));
        assertEquals(file + " line 1: ends with a trailing delimiter ',', which makes an empty last column; remove "
                + "the trailing ',' from every line", refused(config(file)));
    }
}
