package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.TensorProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.TensorShapeProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.TypeProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.LayerSpecs;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}) that takes what
 * {@code predict} takes and gives what it gives:
 * <ul>
 *   <li>input {@value #INPUT}: float32 {@code [batch, F]}, the raw features of F = the product of
 *       {@code model.input_shape} values per row (image rows flattened in C, H, W order), the batch dimension
 *       symbolic. The model's normalisation is its first nodes ({@code scale}: Mul; {@code standardize}: Sub of the
 *       training mean, Mul by 1/std), then a Reshape to {@code [batch, C, H, W]} for image inputs.</li>
 *   <li>output {@value #RAW_OUTPUT}: float32 {@code [batch, D]}, the network's raw output (logits);</li>
 *   <li>classifiers: {@value #PROBABILITIES}, float32 {@code [batch, D]}, the loss's prediction as predict writes
 *       it ({@code p0..}: softmax, or the sigmoid of a single output), and {@value #PREDICTED_CLASS}, int64
 *       {@code [batch]} (the arg-max of the raw output, or p ≥ 0.5 for one sigmoid output, as evaluation
 *       counts it);</li>
 *   <li>regression: {@value #PREDICTION}, float32 {@code [batch, D]}.</li>
 * </ul>
 * Names, shapes, the task and class count, the normalisation and the training config are recorded in the model's
 * {@code metadata_props} (keys {@code sparktrain.*}) and doc strings. Every layer, activation and loss goes through its
 * registered mapping ({@link OnnxLayers}, {@link OnnxActivations}, {@link OnnxHeads}); one without is refused with
 * an {@link IllegalArgumentException} naming it.
 */
public final class OnnxExporter {

    public static final int OPSET = 17;
    /** ONNX IR version 8 (ONNX 1.12), the one that came with opset 17: readable by every runtime that runs it. */
    public static final long IR_VERSION = 8;
    public static final String INPUT = "features";
    public static final String RAW_OUTPUT = "raw_output";
    public static final String PROBABILITIES = "probabilities";
    public static final String PREDICTED_CLASS = "predicted_class";
    public static final String PREDICTION = "prediction";
    private static final String BATCH = "batch";

    private OnnxExporter() {
    }

    /**
     * The ONNX model of a network with its trained parameters and the feature transform of training.
     *
     * @param name          the model's name (the config's {@code name})
     * @param spec          the network
     * @param params        its flat float32 parameters, laid out as {@code spec.layout()}
     * @param normalization the feature transform of training
     * @param configYaml    the resolved training config, kept in the metadata
     */
    public static ModelProto export(String name, NetworkSpec spec, float[] params, ModelNormalization normalization,
                                    String configYaml) {
        if (params.length != spec.layout().totalLength()) {
            throw new IllegalArgumentException("the network has " + spec.layout().totalLength() + " parameters, got "
                    + params.length);
        }
        checkExportable(spec);
        OnnxGraph g = new OnnxGraph();
        g.reserve(INPUT);
        int features = Math.toIntExact(spec.input().size());
        String x = normalize(normalization, g);
        if (spec.input().rank() > 1) {
            long[] shape = spec.input().withBatch(-1);
            x = g.node("Reshape", "input_" + spec.input(), List.of(x, g.longs("input_shape", shape)));
        }
        var flat = Nd4j.createFromArray(params);
        List<Shape> shapes = spec.shapes();
        var layout = spec.layout();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            x = OnnxLayers.export(layer, new LayerInput(i + "." + layer.kind(), shapes.get(i), shapes.get(i + 1), x,
                    layout, flat), g);
        }
        Shape out = spec.outputShape();
        if (out.rank() > 1) {
            x = g.node("Flatten", "output_flat", List.of(x), integer("axis", 1));
        }
        long width = out.size();
        TaskKind kind = TaskKind.of(spec);
        g.nodeNamed("Identity", RAW_OUTPUT, List.of(x));
        var graph = g.proto().setName(name).addInput(floatValue(INPUT, features));
        graph.addOutput(floatValue(RAW_OUTPUT, width));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(RAW_OUTPUT, "float32 [batch, " + width + "]: the network's raw output");
        if (kind == TaskKind.REGRESSION) {
            OnnxHeads.add(spec.loss(), RAW_OUTPUT, PREDICTION, g);
            graph.addOutput(floatValue(PREDICTION, width));
            outputs.put(PREDICTION, "float32 [batch, " + width + "]: predicted values");
        } else {
            OnnxHeads.add(spec.loss(), RAW_OUTPUT, PROBABILITIES, g);
            predictedClass(kind, g);
            graph.addOutput(floatValue(PROBABILITIES, width));
            graph.addOutput(ValueInfoProto.newBuilder().setName(PREDICTED_CLASS).setType(tensorType(
                    TensorProto.DataType.INT64, false)));
            outputs.put(PROBABILITIES, "float32 [batch, " + width + "]: " + (kind == TaskKind.BINARY
                    ? "the probability of class 1" : "per-class " + OnnxHeads.describe(spec.loss()) + " of "
                    + RAW_OUTPUT) + ", as predict writes p0..");
            outputs.put(PREDICTED_CLASS, "int64 [batch]: the predicted class");
        }
        String input = "float32 [batch, " + features + "]: raw features as predict reads them"
                + (spec.input().rank() > 1 ? " (a " + spec.input() + " sample flattened in C-order)" : "")
                + "; normalization " + normalization + " happens inside the model";
        graph.setDocString("input " + INPUT + ": " + input + ". Outputs: " + String.join("; ", outputs.entrySet()
                .stream().map(e -> e.getKey() + ": " + e.getValue()).toList()) + ".");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sparktrain.input_name", INPUT);
        meta.put("sparktrain.input_shape", "[batch, " + features + "]");
        meta.put("sparktrain.network_input_shape", Arrays.toString(spec.input().dims()));
        meta.put("sparktrain.output_names", String.join(",", outputs.keySet()));
        meta.put("sparktrain.output_shape", "[batch, " + width + "]");
        meta.put("sparktrain.task", kind.name().toLowerCase(java.util.Locale.ROOT));
        meta.put("sparktrain.classes", Integer.toString(kind.classes(spec)));
        meta.put("sparktrain.loss", spec.loss().name());
        meta.put("sparktrain.normalization", normalization.toString());
        meta.put("sparktrain.opset", Integer.toString(OPSET));
        meta.put("sparktrain.config", configYaml);
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("sparktrain").setProducerVersion(version()).setModelVersion(1)
                .setDocString("sparktrain model '" + name + "': " + spec.layers().size() + " layers, loss "
                        + spec.loss().name() + ", " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + (kind == TaskKind.REGRESSION ? "" : " with " + kind.classes(spec) + " classes")
                        + ". Input " + INPUT + ": " + input + ".")
                .setGraph(graph);
        meta.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /**
     * Refuses, naming the first one, a layer kind (nested ones included) without an ONNX form, before anything is
     * built; an activation or loss without one is refused by name while the model is built, before anything is
     * written.
     */
    public static void checkExportable(NetworkSpec spec) {
        for (int i = 0; i < spec.layers().size(); i++) {
            for (LayerSpec layer : LayerSpecs.selfAndDescendants(spec.layers().get(i))) {
                if (!OnnxLayers.has(layer)) {
                    throw new IllegalArgumentException("layer " + i + "." + spec.layers().get(i).kind()
                            + (layer == spec.layers().get(i) ? "" : " (inside it, a " + layer.kind() + " layer)")
                            + " cannot be exported to ONNX: no ONNX mapping for layer kind '" + layer.kind() + "'");
                }
            }
        }
    }

    /** The normalisation's nodes on the input; returns the name of the normalised features. */
    private static String normalize(ModelNormalization normalization, OnnxGraph g) {
        return switch (normalization.normalize()) {
            case NONE -> INPUT;
            case SCALE -> normalization.scale() == 1.0 ? INPUT
                    : g.node("Mul", "scaled", List.of(INPUT, g.scalar("scale", normalization.readScale())));
            case STANDARDIZE -> {
                Standardization st = normalization.standardization();
                // As Standardization.apply: (x − mean)·(1/std), 1/std in float32.
                float[] inverse = new float[st.std().length];
                for (int j = 0; j < inverse.length; j++) {
                    inverse[j] = 1f / st.std()[j];
                }
                String mean = g.floats("mean", st.mean(), st.mean().length);
                String centred = g.node("Sub", "centred", List.of(INPUT, mean));
                yield g.node("Mul", "standardized", List.of(centred, g.floats("inverse_std", inverse, inverse.length)));
            }
        };
    }

    /** The class of each row: ArgMax of the raw output, or p ≥ 0.5 for one sigmoid output ({@link TaskKind}). */
    private static void predictedClass(TaskKind kind, OnnxGraph g) {
        if (kind == TaskKind.MULTICLASS) {
            g.nodeNamed("ArgMax", PREDICTED_CLASS, List.of(RAW_OUTPUT), integer("axis", 1), integer("keepdims", 0));
            return;
        }
        String positive = g.node("GreaterOrEqual", "is_class_1",
                List.of(PROBABILITIES, g.scalar("threshold", TaskKind.BINARY_THRESHOLD)));
        String asLong = g.node("Cast", "class_1", List.of(positive),
                integer("to", TensorProto.DataType.INT64.getNumber()));
        g.nodeNamed("Squeeze", PREDICTED_CLASS, List.of(asLong, g.longs("class_axis", 1)));
    }

    private static ValueInfoProto.Builder floatValue(String name, long width) {
        return ValueInfoProto.newBuilder().setName(name).setType(tensorType(TensorProto.DataType.FLOAT, true, width));
    }

    /** A tensor type {@code [batch]} or {@code [batch, width]}, the batch dimension symbolic. */
    private static TypeProto tensorType(TensorProto.DataType type, boolean matrix, long... width) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        if (matrix) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width[0]));
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
                .setShape(shape)).build();
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
