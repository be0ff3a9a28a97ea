package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.debug.GradientCheck;
import dev.sparktrain.ops.losses.MeanSquaredError;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every registered layer kind builds from the keys it declares, with the defaults it declares. */
class LayerRegistryTest {

    private static LayerSpec create(String type, Map<String, Object> keys) {
        Map<String, Object> config = new LinkedHashMap<>(keys);
        config.put("type", type);
        return LayerSpecs.create(new Options("model.layers[0]", config));
    }

    @Test
    void everyKindBuildsFromItsDeclaredKeys() {
        assertEquals(List.of("dense", "conv2d", "maxpool2d", "avgpool2d", "global_avgpool", "flatten", "dropout",
                "batchnorm", "activation", "residual"), LayerSpecs.kinds());
        for (Kind<? extends LayerSpec> kind : LayerSpecs.REGISTRY.kinds()) {
            LayerSpec every = create(kind.name(), kind.exampleWithEveryKey());
            assertEquals(kind.name(), every.kind());
            Map<String, Object> defaults = kind.exampleWithRequiredKeys();
            LayerSpec required = create(kind.name(), defaults);
            for (ConfigKey key : kind.keys()) {
                if (key.hasFixedDefault()) {
                    defaults.put(key.name(), key.value());
                }
            }
            assertEquals(required, create(kind.name(), defaults), kind.name() + ": a declared default differs from "
                    + "the one it is built with");
        }
    }

    @Test
    void unknownKindsAndKeysAreRefusedWithTheClosestName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create("batch_norm",
                Map.of()));
        assertEquals("model.layers[0].type 'batch_norm' is not a layer kind; did you mean 'batchnorm'?",
                e.getMessage());
        for (Kind<? extends LayerSpec> kind : LayerSpecs.REGISTRY.kinds()) {
            Map<String, Object> config = kind.exampleWithEveryKey();
            if (kind.keys().isEmpty()) {
                config.put("units", 3);
                assertEquals("unknown field 'model.layers[0].units'; known fields: [type]",
                        assertThrows(IllegalArgumentException.class, () -> create(kind.name(), config)).getMessage());
                continue;
            }
            String key = kind.keys().get(0).name();
            config.put(key + "x", config.remove(key));
            String message = assertThrows(IllegalArgumentException.class, () -> create(kind.name(), config))
                    .getMessage();
            assertTrue(message.contains("unknown field 'model.layers[0]." + key + "x'; did you mean '" + key + "'?"),
                    kind.name() + ": " + message);
        }
    }

    @Test
    void layersSayTheirActivationAndMatrixProducts() {
        assertEquals(Optional.of(new Relu()), new Dense(3, new Relu()).appliedActivation());
        assertEquals(Optional.of(new Tanh()), Conv2d.of(2, 3, Padding.SAME, new Tanh()).appliedActivation());
        assertEquals(Optional.of(new Relu()), new ActivationLayer(new Relu()).appliedActivation());
        assertEquals(Optional.empty(), new BatchNorm().appliedActivation());
        assertEquals(List.of(new MatrixProduct(1, 12, 3)), new Dense(3, new Relu()).forwardProducts(new Shape(12)));
        // 3x3 'same' conv of 2x5x5 into 4 maps: per sample a [25 x 18]·[18 x 4] product.
        assertEquals(List.of(new MatrixProduct(25, 18, 4)),
                Conv2d.of(4, 3, Padding.SAME, new Relu()).forwardProducts(new Shape(2, 5, 5)));
        assertEquals(List.of(), Pool2d.max(2).forwardProducts(new Shape(2, 4, 4)));
        assertEquals(new MatrixProduct(64, 12, 3), new MatrixProduct(1, 12, 3).forBatch(64));
    }

    @Test
    void aCompositeLayerAnswersForItsChildren() {
        Chain chain = new Chain(List.of(new Dense(4, new Relu()), new Dense(2, new Identity())));
        assertEquals(List.of(chain, chain.children().get(0), chain.children().get(1)),
                LayerSpecs.selfAndDescendants(chain));
        NetworkSpec spec = new NetworkSpec(new Shape(3), List.of(chain), new MeanSquaredError());
        List<String> warnings = GradientCheck.warnings(spec);
        assertEquals(List.of("layer 0 chain: relu is not smooth; an input on its kink gives a spurious "
                + "gradient-check error"), warnings);
        assertFalse(GradientCheck.warnings(new NetworkSpec(new Shape(3), List.of(new Dense(2, new Tanh())),
                new MeanSquaredError())).iterator().hasNext());
    }

    /** A test-only composite: its children one after the other (only what the tools ask of it). */
    private record Chain(List<LayerSpec> children) implements LayerSpec {

        @Override
        public String kind() {
            return "chain";
        }

        @Override
        public Shape outputShape(Shape input) {
            Shape shape = input;
            for (LayerSpec child : children) {
                shape = child.outputShape(shape);
            }
            return shape;
        }

        @Override
        public List<ParamShape> params(Shape input) {
            return List.of();
        }

        @Override
        public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
            throw new UnsupportedOperationException("chain is only described, never run");
        }

        @Override
        public Optional<Activation> appliedActivation() {
            return children.get(children.size() - 1).appliedActivation();
        }

        @Override
        public List<MatrixProduct> forwardProducts(Shape input) {
            List<MatrixProduct> out = new ArrayList<>();
            Shape shape = input;
            for (LayerSpec child : children) {
                out.addAll(child.forwardProducts(shape));
                shape = child.outputShape(shape);
            }
            return out;
        }
    }
}
