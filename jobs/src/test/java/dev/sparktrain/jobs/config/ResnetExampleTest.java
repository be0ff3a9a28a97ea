package dev.sparktrain.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.bench.ModelFlops;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The ResNet example parses into the network it describes, names its tensors as documented and takes a step. */
class ResnetExampleTest {

    @Test
    void theExampleIsASmallResNetWithNamedShortcutsThatTrains() {
        RunConfig run = RunConfigParser.parse(ConfigTree.read(Path.of("..", "conf", "examples",
                "fashion-resnet.yaml")));
        NetworkSpec spec = run.model();
        assertEquals(new Shape(10), spec.outputShape());
        assertEquals(176_090, spec.layout().totalLength());
        Map<String, ParamSpec> tensors = spec.layout().specs().stream()
                .collect(Collectors.toMap(ParamSpec::name, Function.identity()));
        assertTrue(tensors.containsKey("3.residual.0.conv2d.W"));
        assertFalse(tensors.containsKey("3.residual.shortcut.conv2d.W"), "stage 1 keeps the shape: identity");
        assertEquals(java.util.List.of(32L, 16L, 1L, 1L),
                java.util.Arrays.stream(tensors.get("5.residual.shortcut.conv2d.W").shape()).boxed().toList());
        assertFalse(tensors.get("7.residual.shortcut.batchnorm.running_var").trainable());
        assertTrue(tensors.get("7.residual.4.batchnorm.gamma").trainable());
        // 13 convolutions (stem, 12 in blocks) and 2 projections: ~121 MFLOP per training sample, 9x LeNet's 13.8.
        double mflop = ModelFlops.trainingFlopsPerSample(spec) / 1e6;
        assertTrue(mflop > 110 && mflop < 140, "MFLOP per sample " + mflop);

        Network network = new Network(spec, spec.initialParameters(1, DataType.FLOAT));
        Nd4j.getRandom().setSeed(3);
        double loss = network.computeGradient(Nd4j.rand(DataType.FLOAT, 4, 784),
                Nd4j.createFromArray(0f, 3f, 7f, 9f), ForwardContext.training(1));
        assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
        assertTrue(network.gradient().norm2Number().doubleValue() > 0);
    }
}
