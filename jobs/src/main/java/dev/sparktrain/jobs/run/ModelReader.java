package dev.sparktrain.jobs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import dev.sparktrain.ps.checkpoint.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a model directory written by {@link ModelWriter} and checks that it is complete and consistent: every file
 * present; {@code config.yaml} a valid config; {@code layout.json} listing exactly the config's tensors (name,
 * shape, offset, size, trainable); {@code params.npy} a valid float32 NPY vector of the layout's length with finite
 * values; {@code normalization.json} matching the network's input. Any problem is one
 * {@link IllegalArgumentException} naming the file. A run directory is accepted for its {@code model/}.
 */
public final class ModelReader {

    static final List<String> FILES = List.of("config.yaml", "layout.json", "params.npy",
            ModelNormalization.FILE_NAME);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelReader() {
    }

    /** Whether {@code path} looks like a model or run directory (rather than a config file). */
    public static boolean isModelPath(Path path) {
        return Files.isDirectory(path);
    }

    public static LoadedModel read(Path path) {
        Path dir = locate(path);
        for (String name : FILES) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": missing; the model directory is incomplete (expected "
                        + String.join(", ", FILES) + ")");
            }
        }
        Path configFile = dir.resolve("config.yaml");
        ConfigTree tree = ConfigTree.parse(configFile.toString(), text(configFile));
        RunConfig run;
        try {
            run = RunConfigParser.parse(tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configFile + ": " + e.getMessage(), e);
        }
        ParamLayout layout = run.model().layout();
        checkLayout(dir.resolve("layout.json"), layout);
        INDArray params = params(dir.resolve("params.npy"), layout.totalLength());
        Path normFile = dir.resolve(ModelNormalization.FILE_NAME);
        ModelNormalization normalization;
        try {
            normalization = ModelNormalization.parse(text(normFile));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(normFile + ": corrupted: " + e.getMessage(), e);
        }
        long inputs = run.model().input().size();
        if (normalization.features() != inputs) {
            throw new IllegalArgumentException(normFile + ": " + normalization.features() + " features, but the "
                    + "network's input " + run.model().input() + " has " + inputs);
        }
        return new LoadedModel(dir, tree, run, params, normalization);
    }

    /** {@code path} itself, or {@code path/model} for a run directory. */
    static Path locate(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": model directory not found");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + ": expected a model directory (RUN/model), got a file");
        }
        Path inner = path.resolve("model");
        boolean isRun = !Files.exists(path.resolve("params.npy")) && Files.isDirectory(inner);
        return isRun ? inner : path;
    }

    private static void checkLayout(Path file, ParamLayout expected) {
        JsonNode root;
        try {
            root = JSON.readTree(text(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": corrupted: not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !"sparktrain-model-1".equals(root.path("format").asText())
                || !"float32".equals(root.path("dtype").asText())) {
            throw new IllegalArgumentException(file + ": corrupted: expected format 'sparktrain-model-1' and dtype "
                    + "'float32'");
        }
        if (root.path("length").asLong(-1) != expected.totalLength()) {
            throw new IllegalArgumentException(file + ": length " + root.get("length") + " does not match the config's"
                    + " network, which has " + expected.totalLength() + " parameters");
        }
        JsonNode tensors = root.path("tensors");
        List<ParamSpec> specs = expected.specs();
        if (!tensors.isArray() || tensors.size() != specs.size()) {
            throw new IllegalArgumentException(file + ": lists " + (tensors.isArray() ? tensors.size() : 0)
                    + " tensors, the config's network has " + specs.size());
        }
        for (int i = 0; i < specs.size(); i++) {
            ParamSpec s = specs.get(i);
            JsonNode t = tensors.get(i);
            long[] shape = new long[t.path("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = t.path("shape").get(d).asLong();
            }
            boolean same = s.name().equals(t.path("name").asText()) && Arrays.equals(s.shape(), shape)
                    && s.offset() == t.path("offset").asLong(-1) && s.length() == t.path("size").asLong(-1)
                    && s.trainable() == t.path("trainable").asBoolean(!s.trainable());
            if (!same) {
                throw new IllegalArgumentException(file + ": tensor " + i + " is " + t + ", but the config's network "
                        + "has " + s.name() + " " + Arrays.toString(s.shape()) + " at offset " + s.offset()
                        + (s.trainable() ? "" : " (not trained)"));
            }
        }
    }

    private static INDArray params(Path file, long length) {
        INDArray params;
        try {
            params = Npy.read(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": corrupted: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (params.dataType() != DataType.FLOAT || params.rank() != 1) {
            throw new IllegalArgumentException(file + ": expected a float32 vector, got " + params.dataType() + " of "
                    + "shape " + Arrays.toString(params.shape()));
        }
        if (params.length() != length) {
            throw new IllegalArgumentException(file + ": holds " + params.length() + " parameters, but layout.json "
                    + "and the config's network have " + length);
        }
        for (float v : params.toFloatVector()) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(file + ": corrupted: holds a non-finite value (" + v + ")");
            }
        }
        return params;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
