package dev.sparktrain.jobs.onnx;

import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelReader;
import java.nio.file.Path;

/**
 * The library's ONNX export of a model directory ({@code RUN/model}, or a run directory): read and checked by
 * {@link ModelReader}, converted by {@link OnnxExporter}, written by {@link OnnxFile}. What {@code sparktrain export}
 * and the Spark ML models' {@code exportOnnx} call.
 */
public final class OnnxExport {

    private OnnxExport() {
    }

    /** The ONNX model of a model directory (nothing written). */
    public static ModelProto of(LoadedModel model) {
        return OnnxExporter.export(model.run().name(), model.run().model(), model.params().toFloatVector(),
                model.normalization(), model.config().toYaml());
    }

    /**
     * Writes the ONNX model of {@code modelDir} to {@code out}; an existing {@code out} is refused unless
     * {@code overwrite}. Returns the model written.
     */
    public static ModelProto write(Path modelDir, Path out, boolean overwrite) {
        OnnxFile.checkTarget(out, overwrite);
        ModelProto model = of(ModelReader.read(modelDir));
        OnnxFile.write(model, out, overwrite);
        return model;
    }
}
