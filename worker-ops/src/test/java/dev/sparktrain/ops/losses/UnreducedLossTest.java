package dev.sparktrain.ops.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Loss values before reduction (PyTorch's reduction='none'): shapes, closed forms, and their mean is the loss. */
class UnreducedLossTest {

    private static final Set<String> ELEMENT_WISE = Set.of("mse", "mae", "huber", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "sigmoid_focal");

    @Test
    void everyLossHasUnreducedValuesWhoseMeanIsItsLoss() {
        Nd4j.getRandom().setSeed(3);
        for (String name : Losses.names()) {
            Loss loss = Losses.create(new Options("loss", Map.of("type", name)));
            boolean elementWise = ELEMENT_WISE.contains(name);
            INDArray out = name.equals("binary_cross_entropy")
                    ? Nd4j.rand(DataType.DOUBLE, 6, 3).muli(0.9).addi(0.05) : Nd4j.randn(DataType.DOUBLE, 6, 3);
            INDArray labels = name.contains("binary") || name.equals("sigmoid_focal")
                    ? Nd4j.rand(DataType.DOUBLE, 6, 3).gt(0.5).castTo(DataType.DOUBLE)
                    : elementWise ? Nd4j.randn(DataType.DOUBLE, 6, 3)
                    : Nd4j.createFromArray(0.0, 2.0, 1.0, 1.0, 0.0, 2.0);
            INDArray unreduced = loss.unreduced(out, labels);
            assertArrayEquals(elementWise ? new long[] {6, 3} : new long[] {6}, unreduced.shape(), name);
            assertEquals(loss.compute(out, labels).loss(), unreduced.meanNumber().doubleValue(), 1e-14, name);
        }
    }

    @Test
    void closedForms() {
        INDArray o = Nd4j.createFromArray(new double[][] {{0.5, -2.0}, {3.0, 0.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 1.0}, {0.0, 0.0}});
        assertEquals(Nd4j.createFromArray(new double[][] {{0.25, 9}, {9, 0}}), new MeanSquaredError().unreduced(o, y));
        assertEquals(Nd4j.createFromArray(new double[][] {{0.5, 3}, {3, 0}}), new MeanAbsoluteError().unreduced(o, y));
        assertEquals(Nd4j.createFromArray(new double[][] {{0.125, 2.5}, {2.5, 0}}), new Huber(1).unreduced(o, y));
        INDArray bce = new BinaryCrossEntropyWithLogits().unreduced(o, y);
        assertEquals(Math.log1p(Math.exp(-0.5)), bce.getDouble(0, 0), 1e-15);
        assertEquals(Math.log1p(Math.exp(2.0)), bce.getDouble(0, 1), 1e-15);
        assertEquals(3 + Math.log1p(Math.exp(-3.0)), bce.getDouble(1, 0), 1e-15);
        INDArray ce = new SoftmaxCrossEntropy().unreduced(o, Nd4j.createFromArray(1.0, 0.0));
        assertEquals(Math.log(Math.exp(0.5) + Math.exp(-2)) + 2, ce.getDouble(0), 1e-14);
        assertEquals(Math.log(Math.exp(3) + 1) - 3, ce.getDouble(1), 1e-14);
    }

    @Test
    void theNetworkGivesThemForABatch() {
        NetworkSpec spec = new NetworkSpec(new Shape(3), List.of(new Dense(2, Activations.byName("identity"))),
                new MeanSquaredError());
        INDArray params = spec.initialParameters(1, DataType.DOUBLE);
        Network network = new Network(spec, params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 4, 2);
        INDArray r = network.output(x).sub(y);
        assertEquals(r.mul(r), network.unreducedLoss(x, y));
        assertEquals(network.loss(x, y), network.unreducedLoss(x, y).meanNumber().doubleValue(), 1e-14);
    }
}
