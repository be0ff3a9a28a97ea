package dev.sparktrain.jobs.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamSpec;
import dev.sparktrain.ps.checkpoint.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exports a trained model: {@code config.yaml} (the run's resolved config), {@code params.npy} (the flat float32
 * parameter vector, readable by {@code numpy.load}), {@code layout.json} (name, shape and offset of every tensor
 * in it, e.g. {@code params[offset:offset+size].reshape(shape)}) and {@code normalization.json} (the feature
 * transform of training, {@link ModelNormalization}); {@link ModelReader} reads and checks them. Written into a temporary directory and renamed,
 * so a model directory is either complete or absent.
 */
public final class ModelWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelWriter() {
    }

    public static Path write(Path modelDir, String configYaml, NetworkSpec spec, INDArray params,
                             ModelNormalization normalization) {
        Path tmp = modelDir.resolveSibling("." + modelDir.getFileName() + ".tmp");
        try {
            if (Files.exists(tmp)) {
                RunDirectory.deleteRecursively(tmp);
            }
            Files.createDirectories(tmp);
            Files.writeString(tmp.resolve("config.yaml"), configYaml);
            try (FileChannel out = FileChannel.open(tmp.resolve("params.npy"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                Npy.write(params.reshape(params.length()), out);
                out.force(true);
            }
            JSON.writeValue(tmp.resolve("layout.json").toFile(), layout(spec));
            Files.writeString(tmp.resolve(ModelNormalization.FILE_NAME), normalization.toJson());
            if (Files.exists(modelDir)) {
                RunDirectory.deleteRecursively(modelDir);
            }
            Files.move(tmp, modelDir, StandardCopyOption.ATOMIC_MOVE);
            return modelDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + modelDir, e);
        }
    }

    private static Map<String, Object> layout(NetworkSpec spec) {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (ParamSpec p : spec.layout().specs()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", p.name());
            t.put("shape", p.shape());
            t.put("offset", p.offset());
            t.put("size", p.length());
            t.put("trainable", p.trainable());
            tensors.add(t);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "sparktrain-model-1");
        out.put("dtype", "float32");
        out.put("length", spec.layout().totalLength());
        out.put("tensors", tensors);
        return out;
    }
}
