package dev.sparktrain.jobs.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamSpec;
import dev.sparktrain.ps.checkpoint.Npy;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * transform of training, {@link ModelNormalization}); {@link ModelReader} reads and checks them. Written as one
 * folder by {@link AtomicFiles#writeFolder}, so a model directory is either complete or absent.
 */
public final class ModelWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelWriter() {
    }

    public static Path write(Path modelDir, String configYaml, NetworkSpec spec, INDArray params,
                             ModelNormalization normalization) {
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put("config.yaml", temp -> Files.writeString(temp, configYaml));
        files.put("params.npy", temp -> {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Npy.write(params.reshape(params.length()), out);
            }
        });
        files.put("layout.json", temp -> JSON.writeValue(temp.toFile(), layout(spec)));
        files.put(ModelNormalization.FILE_NAME, temp -> Files.writeString(temp, normalization.toJson()));
        AtomicFiles.writeFolder(modelDir, files);
        return modelDir;
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
