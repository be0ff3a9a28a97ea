package dev.sparktrain.jobs.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.jobs.config.DataConfig.Normalize;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.activations.Elu;
import dev.sparktrain.ops.activations.LeakyRelu;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.ActivationLayer;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Dropout;
import dev.sparktrain.ops.layers.Flatten;
import dev.sparktrain.ops.layers.GlobalAvgPool;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.LayerSpecs;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Residual;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.losses.Losses;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Networks holding every layer kind, every activation and every loss's prediction head, with parameters away from
 * their initial values (biases, batch-norm statistics): exported, loaded by ONNX Runtime, and run on the same rows
 * as the library's forward pass. Probabilities agree within 1e-5 absolute, other outputs within 1e-4 relative.
 */
class EveryKindOnnxTest {

    private static final int ROWS = 37;

    /** Every registered activation, at its defaults and with every parameter it declares given. */
    static Stream<Activation> activations() {
        List<Activation> all = new ArrayList<>();
        for (var kind : Activations.REGISTRY.kinds()) {
            all.add(kind.build(new Options("activation", Map.of())));
            all.add(kind.build(new Options("activation", kind.exampleWithEveryKey())));
        }
        all.add(new LeakyRelu(0.2));
        all.add(new Elu(0.5));
        all.add(new dev.sparktrain.ops.activations.Softplus(2, 5));
        all.add(new dev.sparktrain.ops.activations.Softplus(0.5, 3));
        all.add(dev.sparktrain.ops.activations.HardSigmoid.keras2());
        return all.stream().distinct();
    }

    @ParameterizedTest
    @MethodSource("activations")
    void everyActivationMatchesTheLibrary(Activation activation) throws Exception {
        NetworkSpec spec = new NetworkSpec(new Shape(6), List.of(new Dense(9, activation), new Dense(4,
                activation)), loss("mse"));
        // Inputs of several magnitudes reach each activation's tails and its middle.
        check(spec, none(6), 4.0, 0);
    }

    @Test
    void everyLayerKindInOneNetwork() throws Exception {
        List<LayerSpec> layers = List.of(
                new Conv2d(4, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true,
                        Activations.byName("relu"), WeightInit.HE_UNIFORM),
                new BatchNorm(),
                new ActivationLayer(Activations.byName("tanh")),
                new Pool2d(true, Size2.square(3), Size2.square(2), Padding.SAME),
                new Conv2d(6, new Size2(3, 2), new Size2(2, 1), Padding.explicit(2, 1), new Size2(1, 1), false,
                        Activations.byName("elu"), WeightInit.GLOROT_UNIFORM),
                new Pool2d(false, Size2.square(3), Size2.square(1), Padding.explicit(1, 1)),
                new BatchNorm(0.9, 1e-3),
                new Dropout(0.3),
                new Flatten(),
                new Dense(16, Activations.byName("gelu")),
                new BatchNorm(),
                new Dropout(0.5),
                new Dense(5, Activations.byName("identity")));
        NetworkSpec spec = new NetworkSpec(new Shape(2, 11, 10), layers, loss("softmax_cross_entropy"));
        check(spec, scale(220, 1 / 255.0), 255, 0);
    }

    @Test
    void residualBlocksWithIdentityProjectionAndNestedBranches() throws Exception {
        LayerSpec conv = new Conv2d(4, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), false,
                Activations.byName("identity"), WeightInit.HE_UNIFORM);
        List<LayerSpec> layers = List.of(
                conv, new BatchNorm(),
                Residual.of(List.of(conv, new BatchNorm(), new ActivationLayer(Activations.byName("relu")), conv,
                        new BatchNorm())),
                // Projection shortcut: stride 2 and more channels.
                Residual.of(List.of(new Conv2d(6, Size2.square(3), Size2.square(2), Padding.SAME, Size2.square(1),
                        false, Activations.byName("relu"), WeightInit.HE_UNIFORM), new BatchNorm())),
                // A block inside a block, with dropout.
                new Residual(List.of(Residual.of(List.of(new Dropout(0.2), new Conv2d(6, Size2.square(3),
                        Size2.square(1), Padding.SAME, Size2.square(1), true, Activations.byName("elu"),
                        WeightInit.HE_UNIFORM)))), Residual.Shortcut.PROJECTION, Activations.byName("tanh"), false,
                        WeightInit.HE_NORMAL),
                new GlobalAvgPool(),
                // Vector blocks: identity and a dense projection.
                Residual.of(List.of(new Dense(6, Activations.byName("relu")), new BatchNorm())),
                Residual.of(List.of(new Dense(3, Activations.byName("silu")))),
                new Dense(3, Activations.byName("identity")));
        NetworkSpec spec = new NetworkSpec(new Shape(1, 9, 8), layers, loss("softmax_cross_entropy"));
        check(spec, scale(72, 0.1), 10, 0);
    }

    static Stream<int[]> dilatedConvolutions() {
        // kernel, stride, padding (-1: same), dilation
        return Stream.of(new int[] {3, 1, 0, 2}, new int[] {3, 2, 1, 2}, new int[] {2, 1, -1, 2},
                new int[] {3, 1, 2, 3});
    }

    @ParameterizedTest
    @MethodSource("dilatedConvolutions")
    void dilatedConvolution(int[] c) throws Exception {
        Padding padding = c[2] < 0 ? Padding.SAME : Padding.explicit(c[2], c[2]);
        NetworkSpec spec = new NetworkSpec(new Shape(2, 12, 11), List.of(new Conv2d(3, Size2.square(c[0]),
                Size2.square(c[1]), padding, Size2.square(c[3]), true, Activations.byName("relu"),
                WeightInit.HE_UNIFORM), new Flatten(), new Dense(2, Activations.byName("identity"))),
                loss("softmax_cross_entropy"));
        // The library's float32 conv2d fails with dilation on the oneDNN natives ("could not create a descriptor for
        // a dilated convolution"); its double path (libnd4j's own, gradient-checked) is the reference here.
        check(spec, none(264), 1, 0, DataType.DOUBLE);
    }

    @Test
    void globalPoolingSamePaddedAveragesAndStandardizedInputs() throws Exception {
        List<LayerSpec> layers = List.of(
                new Conv2d(3, Size2.square(2), Size2.square(2), Padding.SAME, Size2.square(1), true,
                        Activations.byName("selu"), WeightInit.HE_UNIFORM),
                new Pool2d(false, Size2.square(2), Size2.square(2), Padding.SAME),
                new Conv2d(5, Size2.square(3), Size2.square(1), Padding.VALID, Size2.square(1), true,
                        Activations.byName("mish"), WeightInit.HE_UNIFORM),
                new GlobalAvgPool(),
                new Dense(1, Activations.byName("identity")));
        NetworkSpec spec = new NetworkSpec(new Shape(1, 9, 9), layers, loss("sigmoid_focal"));
        check(spec, standardized(81), 3, 10);
    }

    /** Every loss kind with the output it expects: its prediction head in ONNX equals {@code Loss.predict}. */
    static Stream<String> losses() {
        return Losses.names().stream();
    }

    @ParameterizedTest
    @MethodSource("losses")
    void everyLossPredictionHead(String lossName) throws Exception {
        Loss loss = loss(lossName);
        boolean binary = Set.of("binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal")
                .contains(lossName);
        String last = switch (lossName) {
            case "binary_cross_entropy" -> "sigmoid";
            case "nll" -> "log_softmax";
            default -> "identity";
        };
        NetworkSpec spec = new NetworkSpec(new Shape(5), List.of(new Dense(8, Activations.byName("relu")),
                new Dense(binary ? 1 : 3, Activations.byName(last))), loss);
        check(spec, none(5), 2, 0);
    }

    /** A layer kind the exporter does not know. */
    record Doubler() implements LayerSpec {
        @Override
        public String kind() {
            return "doubler";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<dev.sparktrain.ops.layers.ParamShape> params(Shape input) {
            return List.of();
        }

        @Override
        public java.util.Optional<Activation> appliedActivation() {
            return java.util.Optional.empty();
        }

        @Override
        public List<dev.sparktrain.ops.layers.MatrixProduct> forwardProducts(Shape input) {
            return List.of();
        }

        @Override
        public dev.sparktrain.ops.layers.Layer build(Shape input, Map<String, INDArray> params,
                                                     Map<String, INDArray> grads) {
            throw new UnsupportedOperationException();
        }
    }

    /** An activation the exporter does not know. */
    record Cube() implements Activation {
        @Override
        public String name() {
            return "cube";
        }

        @Override
        public INDArray forward(INDArray z) {
            return z.mul(z).muli(z);
        }

        @Override
        public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
            return z.mul(z).muli(3).muli(gradY);
        }

        @Override
        public boolean smooth() {
            return true;
        }
    }

    @Test
    void somethingWithoutAnOnnxFormIsRefusedByName() {
        NetworkSpec layer = new NetworkSpec(new Shape(4), List.of(new Dense(3, Activations.byName("relu")),
                new Doubler(), new Dense(2, Activations.byName("identity"))), loss("softmax_cross_entropy"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export("x", layer, perturbed(layer), none(4), ""));
        assertEquals("layer 1.doubler cannot be exported to ONNX: no ONNX mapping for layer kind 'doubler'",
                e.getMessage());
        NetworkSpec activation = new NetworkSpec(new Shape(4), List.of(new Dense(3, new Cube()),
                new Dense(2, Activations.byName("identity"))), loss("softmax_cross_entropy"));
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export("x", activation, perturbed(activation), none(4), ""));
        assertEquals("layer 0.dense: activation 'cube' cannot be exported to ONNX (no ONNX mapping for it)",
                e.getMessage());
    }

    /** Every registered layer kind, activation and loss (as the registries build them) has an ONNX form. */
    @Test
    void everyRegisteredKindHasAMapping() {
        for (var kind : LayerSpecs.REGISTRY.kinds()) {
            LayerSpec layer = kind.build(new Options("layer", kind.exampleWithEveryKey()));
            assertTrue(OnnxLayers.has(layer), "layer kind " + kind.name() + " has no ONNX mapping");
        }
        for (var kind : Activations.REGISTRY.kinds()) {
            Activation activation = kind.build(new Options("activation", kind.exampleWithEveryKey()));
            assertTrue(OnnxActivations.has(activation), "activation " + kind.name() + " has no ONNX mapping");
        }
        for (var kind : Losses.REGISTRY.kinds()) {
            assertTrue(OnnxHeads.has(kind.build(new Options("loss", kind.exampleWithEveryKey()))),
                    "loss " + kind.name() + " has no ONNX prediction head");
        }
    }

    static Loss loss(String name) {
        return Losses.create(new Options("model.loss", Map.of("type", name)));
    }

    private static ModelNormalization none(int features) {
        return new ModelNormalization(Normalize.NONE, 1.0, features, null);
    }

    private static ModelNormalization scale(int features, double scale) {
        return new ModelNormalization(Normalize.SCALE, scale, features, null);
    }

    private static ModelNormalization standardized(int features) {
        SplittableRandom random = new SplittableRandom(3);
        float[] mean = new float[features];
        float[] std = new float[features];
        for (int j = 0; j < features; j++) {
            mean[j] = (float) random.nextDouble(-5, 5);
            std[j] = (float) random.nextDouble(0.5, 4);
        }
        return new ModelNormalization(Normalize.STANDARDIZE, 1.0, features, new Standardization(mean, std));
    }

    /**
     * Exports {@code spec} with perturbed parameters and compares ONNX Runtime's outputs with the library's on rows of
     * raw features uniform in [offset - range, offset + range].
     */
    static void check(NetworkSpec spec, ModelNormalization normalization, double range, double offset)
            throws Exception {
        check(spec, normalization, range, offset, DataType.FLOAT);
    }

    /** As above, the library's forward pass computed in {@code reference} precision. */
    static void check(NetworkSpec spec, ModelNormalization normalization, double range, double offset,
                      DataType reference) throws Exception {
        float[] params = perturbed(spec);
        int width = Math.toIntExact(spec.input().size());
        SplittableRandom random = new SplittableRandom(11);
        float[] raw = new float[ROWS * width];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) (offset + random.nextDouble(-range, range));
        }
        ModelProto model = OnnxExporter.export("every-kind", spec, params, normalization, "name: every-kind\n");
        Map<String, Object> onnx;
        try (OrtModel ort = new OrtModel(model.toByteArray())) {
            onnx = ort.run(raw, ROWS, width);
        }
        INDArray normalized = Nd4j.createFromArray(normalize(raw, normalization)).reshape(ROWS, width)
                .castTo(reference);
        Network network = new Network(spec, Nd4j.createFromArray(params).castTo(reference));
        INDArray output = network.output(normalized);
        INDArray predicted = spec.loss().predict(output);
        float[] rawOut = output.castTo(DataType.FLOAT).dup('c').reshape(output.length()).toFloatVector();
        float[] prediction = predicted.castTo(DataType.FLOAT).dup('c').reshape(predicted.length()).toFloatVector();
        Compare.relative("raw_output", rawOut, (float[]) onnx.get(OnnxExporter.RAW_OUTPUT), 1e-4);
        TaskKind kind = TaskKind.of(spec);
        if (kind == TaskKind.REGRESSION) {
            Compare.relative("prediction", prediction, (float[]) onnx.get(OnnxExporter.PREDICTION), 1e-4);
        } else {
            Compare.absolute("probabilities", prediction, (float[]) onnx.get(OnnxExporter.PROBABILITIES), 1e-5);
            long[] classes = (long[]) onnx.get(OnnxExporter.PREDICTED_CLASS);
            assertEquals(ROWS, classes.length);
            int w = prediction.length / ROWS;
            long[] expected = new long[ROWS];
            for (int r = 0; r < ROWS; r++) {
                expected[r] = kind == TaskKind.BINARY ? (prediction[r] >= 0.5f ? 1 : 0)
                        : dev.sparktrain.jobs.onnx.Compare.argMax(rawOut, r * w, w);
            }
            assertArrayEquals(expected, classes);
        }
    }

    /** As predict normalises: scale times the value, or (x − mean)·(1/std). */
    static float[] normalize(float[] raw, ModelNormalization n) {
        float[] x = raw.clone();
        int f = n.features();
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (n.normalize()) {
                case NONE -> x[i];
                case SCALE -> (float) (x[i] * (double) n.readScale());
                case STANDARDIZE -> (x[i] - n.standardization().mean()[i % f])
                        * (1f / n.standardization().std()[i % f]);
            };
        }
        return x;
    }

    /** Initial parameters with every tensor moved: nonzero biases, batch-norm statistics away from 0 and 1. */
    static float[] perturbed(NetworkSpec spec) {
        float[] p = spec.initialParameters(5, DataType.FLOAT).toFloatVector();
        SplittableRandom random = new SplittableRandom(7);
        for (ParamSpec t : spec.layout().specs()) {
            for (long i = t.offset(); i < t.offset() + t.length(); i++) {
                int at = (int) i;
                p[at] = t.name().endsWith("running_var") ? (float) random.nextDouble(0.3, 3)
                        : p[at] + (float) random.nextDouble(-0.3, 0.3);
            }
        }
        return p;
    }
}
