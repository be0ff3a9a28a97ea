package dev.sparktrain.jobs.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sparktrain.jobs.onnx.OnnxExport;
import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A sparktrain model directory as an MLflow model: its ONNX export ({@code model.onnx}) and an {@code MLmodel} file
 * with two flavors, {@code onnx} ({@code mlflow.onnx.load_model(uri)} gives the ONNX model) and
 * {@code python_function} with sparktrain's own loader ({@code code/sparktrain_pyfunc.py}), so that
 * {@code mlflow.pyfunc.load_model(uri).predict(frame)} gives {@code predict}'s columns and {@code mlflow models serve}
 * serves it. Written next to the sparktrain files of the logged {@code model/} artifact.
 */
public final class MlflowModel {

    static final String LOADER = "sparktrain_pyfunc";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "3.11" must stay a string: MLflow reads python_version as text.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    /** The onnx.proto the exporter's classes come from (jobs/src/main/proto). */
    private static final String ONNX_VERSION = "1.23.2";

    private MlflowModel() {
    }

    /**
     * Writes the MLflow model files of {@code modelDir} into {@code out} (an empty directory) and returns them by
     * artifact path under {@code model/}.
     *
     * @throws IllegalArgumentException when the model cannot be exported to ONNX
     */
    public static Map<String, Path> write(Path modelDir, Path out, String runId) {
        try {
            Files.createDirectories(out.resolve("code"));
            OnnxExport.write(modelDir, out.resolve("model.onnx"), false);
            try (InputStream loader = MlflowModel.class.getResourceAsStream(LOADER + ".py")) {
                if (loader == null) {
                    throw new IllegalStateException(LOADER + ".py is missing from the classpath");
                }
                AtomicFiles.write(out.resolve("code").resolve(LOADER + ".py"), loader.readAllBytes());
            }
            String python = "3.11";
            AtomicFiles.writeString(out.resolve("requirements.txt"), "onnxruntime\nnumpy\npandas\nonnx\n");
            AtomicFiles.writeString(out.resolve("python_env.yaml"), YAML.writeValueAsString(Map.of(
                    "python", python, "build_dependencies", List.of("pip"),
                    "dependencies", List.of("-r requirements.txt"))));
            Map<String, Object> pyfunc = new LinkedHashMap<>();
            pyfunc.put("loader_module", LOADER);
            pyfunc.put("code", "code");
            pyfunc.put("data", "model.onnx");
            pyfunc.put("env", Map.of("virtualenv", "python_env.yaml"));
            pyfunc.put("python_version", python);
            Map<String, Object> onnx = new LinkedHashMap<>();
            onnx.put("code", null);
            onnx.put("data", "model.onnx");
            onnx.put("onnx_version", ONNX_VERSION);
            onnx.put("providers", List.of("CPUExecutionProvider"));
            Map<String, Object> flavors = new LinkedHashMap<>();
            flavors.put("onnx", onnx);
            flavors.put("python_function", pyfunc);
            Map<String, Object> mlmodel = new LinkedHashMap<>();
            mlmodel.put("artifact_path", "model");
            mlmodel.put("flavors", flavors);
            mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
            if (runId != null) {
                mlmodel.put("run_id", runId);
            }
            mlmodel.put("utc_time_created", Instant.now().toString().replace('T', ' ').replace("Z", ""));
            AtomicFiles.writeString(out.resolve("MLmodel"), YAML.writeValueAsString(mlmodel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MLflow model files to " + out, e);
        }
        return RunArtifacts.directory("model", out);
    }
}
