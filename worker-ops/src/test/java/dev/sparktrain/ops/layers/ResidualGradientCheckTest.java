package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.layers.LayerGradientCheckTest.assertGradientsMatch;
import static dev.sparktrain.ops.layers.LayerGradientCheckTest.conv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Residual blocks, both shortcut kinds, nested, with batch-norm inside: gradients against centred differences. */
class ResidualGradientCheckTest {

    private static Residual block(List<LayerSpec> layers, Residual.Shortcut shortcut) {
        // tanh after the sum: the check needs a smooth function (ReLU's kink gives spurious errors).
        return new Residual(layers, shortcut, Activations.byName("tanh"), true, WeightInit.HE_NORMAL);
    }

    private static NetworkSpec network(Shape input, List<LayerSpec> body) {
        List<LayerSpec> layers = new java.util.ArrayList<>(body);
        layers.add(new GlobalAvgPool());
        layers.add(new Dense(3, Activations.byName("identity")));
        return new NetworkSpec(input, layers, new SoftmaxCrossEntropy());
    }

    private static List<String> names(NetworkSpec spec) {
        return spec.layout().specs().stream().map(dev.sparktrain.ops.params.ParamSpec::name).toList();
    }

    @Test
    void identityShortcutWithBatchNormInside() {
        NetworkSpec spec = network(new Shape(2, 5, 5), List.of(
                conv(3, 3, 1, Padding.SAME, 1, true),
                block(List.of(conv(3, 3, 1, Padding.SAME, 1, false), new BatchNorm(),
                        conv(3, 3, 1, Padding.SAME, 1, false), new BatchNorm()), Residual.Shortcut.AUTO)));
        assertTrue(names(spec).contains("1.residual.1.batchnorm.running_mean"));
        assertGradientsMatch(spec, ForwardContext.training(4));
        assertGradientsMatch(spec, ForwardContext.INFERENCE);
    }

    @Test
    void projectionShortcutWithStrideAsTheFirstLayer() {
        // First layer: the branch's first conv and the projection skip their input gradients.
        NetworkSpec spec = network(new Shape(2, 7, 6), List.of(
                block(List.of(conv(4, 3, 2, Padding.SAME, 1, false), new BatchNorm(),
                        conv(4, 3, 1, Padding.SAME, 1, true)), Residual.Shortcut.AUTO)));
        assertTrue(names(spec).contains("0.residual.shortcut.conv2d.W"));
        assertTrue(names(spec).contains("0.residual.shortcut.batchnorm.gamma"));
        assertGradientsMatch(spec, ForwardContext.training(4));
    }

    @Test
    void projectionWithoutBatchNormForcedOnTheSameShapeAndNested() {
        Residual inner = block(List.of(conv(3, 3, 1, Padding.SAME, 1, true)), Residual.Shortcut.IDENTITY);
        Residual outer = new Residual(List.of(inner, conv(3, 1, 1, Padding.VALID, 1, true)),
                Residual.Shortcut.PROJECTION, Activations.byName("identity"), false, WeightInit.GLOROT_UNIFORM);
        NetworkSpec spec = network(new Shape(3, 4, 5), List.of(outer));
        assertTrue(names(spec).contains("0.residual.0.residual.0.conv2d.W"));
        assertTrue(names(spec).contains("0.residual.shortcut.conv2d.W"));
        assertTrue(names(spec).stream().noneMatch(n -> n.contains("shortcut.batchnorm")));
        assertGradientsMatch(spec, ForwardContext.INFERENCE);
    }

    @Test
    void vectorBlockProjectsWithADenseLayer() {
        NetworkSpec spec = new NetworkSpec(new Shape(4), List.of(
                block(List.of(new Dense(6, Activations.byName("tanh")), new Dense(5, Activations.byName("identity"))),
                        Residual.Shortcut.AUTO),
                new Dense(3, Activations.byName("identity"))), new SoftmaxCrossEntropy());
        assertTrue(names(spec).contains("0.residual.shortcut.dense.W"));
        assertGradientsMatch(spec, ForwardContext.training(2));
    }

    @Test
    void shapesThatCannotMeetAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network(new Shape(2, 6, 6),
                List.of(block(List.of(conv(3, 3, 1, Padding.VALID, 1, true)), Residual.Shortcut.IDENTITY))));
        assertEquals("layer 0 residual: the branch maps 2x6x6 to 3x4x4, so an identity shortcut cannot be added to it"
                + " (use shortcut: projection or auto)", e.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> network(
                new Shape(2, 6, 6), List.of(block(List.of(new Flatten()), Residual.Shortcut.AUTO))));
        assertTrue(flat.getMessage().contains("both to be images"), flat.getMessage());
    }
}
