package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.run.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Bad input to evaluate and predict: each case ends with one line naming the problem, exit code 2, no stack trace,
 * and no output file. The model is written directly (untrained), so most cases need no Spark.
 */
class ModelBadInputTest {

    @TempDir
    Path dir;
    Path model;
    Path out;

    @BeforeEach
    void writeModel() throws IOException {
        Path config = CliFixture.config(dir, "tanh", "scale: 0.00392156862745098");
        ConfigTree tree = ConfigTree.read(config);
        RunConfig run = RunConfigParser.parse(tree);
        model = dir.resolve("model");
        ModelWriter.write(model, tree.toYaml(), run.model(), run.model().initialParameters(1, DataType.FLOAT),
                ModelNormalization.of(run.data(), 16, null));
        out = dir.resolve("pred.csv");
    }

    private void assertRefused(String expectedStart, String expectedEnd, String... args) {
        Outcome o = CliFixture.run(args);
        assertEquals(2, o.exitCode(), o.out() + o.err());
        String line = o.errorLine();
        assertTrue(line.startsWith("error: ") && line.contains(expectedStart) && line.endsWith(expectedEnd), line);
        assertFalse(o.hasCliStackTrace(), "no stack trace: " + o.err());
        assertFalse(Files.exists(out), "nothing written");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".pred")), "no temporary file");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void predictRefused(String expectedStart, String expectedEnd) {
        assertRefused(expectedStart, expectedEnd, "predict", model.toString(), "--out", out.toString());
    }

    @Test
    void missingModelDirectoryOrFile() throws IOException {
        assertRefused(dir.resolve("nope") + ": model directory not found", "",
                "evaluate", dir.resolve("nope").toString());
        Files.delete(model.resolve("params.npy"));
        predictRefused(model.resolve("params.npy") + ": missing; the model directory is incomplete", ")");
    }

    @Test
    void truncatedParamsAreCorrupted() throws IOException {
        byte[] npy = Files.readAllBytes(model.resolve("params.npy"));
        Files.write(model.resolve("params.npy"), Arrays.copyOf(npy, npy.length - 4));
        predictRefused(model.resolve("params.npy") + ": corrupted: shape [243] needs 972 data bytes", "");
        Files.write(model.resolve("params.npy"), "not numpy".getBytes());
        predictRefused(model.resolve("params.npy") + ": corrupted: not an NPY file", "");
    }

    @Test
    void configThatNoLongerMatchesTheParametersIsRefused() throws IOException {
        Path config = model.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace("units: 12", "units: 13"));
        predictRefused(model.resolve("layout.json") + ": length 243 does not match the config's network", "");
        Files.writeString(config, "model: [unclosed");
        predictRefused(config + " line 1, column 17: not valid YAML", "");
    }

    @Test
    void layoutAndNormalizationAreChecked() throws IOException {
        Path layout = model.resolve("layout.json");
        Files.writeString(layout, Files.readString(layout).replace("\"0.dense.W\"", "\"0.dense.V\""));
        predictRefused(layout + ": tensor 0 is", "");
        Files.writeString(layout, "{");
        predictRefused(layout + ": corrupted: not valid JSON", "");
        writeModel();
        Files.writeString(model.resolve("normalization.json"), "{\"format\": \"sparktrain-normalization-1\", "
                + "\"normalize\": \"standardize\", \"scale\": 1.0, \"features\": 16, \"mean\": [1]}");
        predictRefused(model.resolve("normalization.json") + ": corrupted: 'mean' must be a list of 16 numbers", "");
    }

    @Test
    void existingOutputAndUnknownExtensionAreRefusedBeforeAnyWork() throws IOException {
        Files.writeString(out, "keep me");
        Outcome o = CliFixture.run("predict", model.toString(), "--out", out.toString());
        assertEquals(2, o.exitCode());
        assertEquals("error: " + out + ": file exists; use --overwrite to replace it", o.errorLine());
        assertEquals("keep me", Files.readString(out));
        Files.delete(out);
        assertRefused(dir.resolve("pred.txt") + ": unknown output format, expected a name ending in .csv or "
                + ".parquet", "", "predict", model.toString(), "--out", dir.resolve("pred.txt").toString());
    }

    @Test
    void missingOrWrongDataEndsWithOneLine() throws IOException {
        Files.writeString(dir.resolve("bogus"), "this is not an IDX file at all");
        assertRefused(dir.resolve("bogus").toString(), "", "predict", model.toString(), "--out", out.toString(),
                "--data", dir.resolve("bogus").toString(), "--labels", dir.resolve("test-labels").toString());
        assertRefused("evaluate needs labels: give --labels PATH (the IDX labels file) with --data "
                + dir.resolve("test-images") + " (predict scores images without labels)", "", "evaluate",
                model.toString(), "--data", dir.resolve("test-images").toString());
        assertRefused("--set model.layers.0.units: the network of a saved model cannot change", "", "evaluate",
                model.toString(), "--set", "model.layers.0.units=5");
        Files.delete(dir.resolve("test-images"));
        predictRefused("test-images", ": no such file or directory");
    }

    @Test
    void predictScoresImagesWithoutLabelsAndLeavesTheLabelColumnOut() throws IOException {
        java.util.Map<String, String> before = FileHashes.of(dir);
        Outcome o = CliFixture.run("predict", model.toString(), "--out", out.toString(), "--data",
                dir.resolve("test-images").toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
        java.util.List<String> lines = Files.readAllLines(out);
        assertEquals("row,predicted,p0,p1,p2", lines.get(0));
        assertEquals(201, lines.size(), "a row per image");
        assertTrue(lines.get(1).matches("0,[0-2],[0-9.E-]+,[0-9.E-]+,[0-9.E-]+"), lines.get(1));
        java.util.Map<String, String> after = FileHashes.of(dir);
        after.remove(out.getFileName().toString());
        assertEquals(before, after, "nothing but the output file written");
    }

    /** {@code --overwrite} replaces a file, never a folder or the data being predicted; nothing else changes. */
    @Test
    void overwriteNeverReplacesAFolderOrTheInputData() throws IOException {
        Path folder = dir.resolve("preds.csv");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-0.csv"), "row,label\n");
        java.util.Map<String, String> before = FileHashes.of(dir);
        Outcome o = CliFixture.run("predict", model.toString(), "--out", folder.toString(), "--overwrite");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, o.exitCode(), o.err());
        assertEquals("error: " + folder + ": is a directory, expected a file name; --overwrite replaces only a file",
                o.errorLine());
        assertEquals(before, FileHashes.of(dir), "nothing changed");

        Path data = dir.resolve("data.csv");
        Files.writeString(data, "label,a\n0,1\n");
        before = FileHashes.of(dir);
        Outcome same = CliFixture.run("predict", model.toString(), "--out", data.toString(), "--overwrite",
                "--data", data.toString(), "--format", "csv", "--set", "data.header=true");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, same.exitCode(), same.err());
        assertEquals("error: " + data + ": is the data being predicted (" + data + "); write the predictions to"
                + " another file", same.errorLine());
        assertEquals(before, FileHashes.of(dir), "nothing changed");
    }
}
