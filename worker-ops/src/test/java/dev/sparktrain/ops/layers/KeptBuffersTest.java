package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers that keep their arrays between passes (conv, pooling, batch-norm, activation, residual, global pooling)
 * give a smaller batch after a larger one (an epoch's last) exactly what a fresh network gives it, in float32 as in
 * training.
 */
class KeptBuffersTest {

    @Test
    void aSmallerBatchAfterALargerOneGivesWhatAFreshNetworkGives() {
        Conv2d conv = new Conv2d(4, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true,
                Activations.byName("relu"), dev.sparktrain.ops.init.WeightInit.HE_NORMAL);
        NetworkSpec spec = new NetworkSpec(new Shape(2, 6, 6), List.of(conv, new BatchNorm(),
                new ActivationLayer(Activations.byName("relu")), Pool2d.max(2),
                Residual.of(List.of(conv, new BatchNorm())), new Pool2d(false, Size2.square(2), Size2.square(1),
                        Padding.SAME), new GlobalAvgPool(), new Dense(3, Activations.byName("identity"))),
                new SoftmaxCrossEntropy());
        INDArray params = spec.initialParameters(5, DataType.FLOAT);
        Nd4j.getRandom().setSeed(8);
        INDArray large = Nd4j.randn(DataType.FLOAT, 8, 72);
        INDArray small = Nd4j.randn(DataType.FLOAT, 5, 72);
        INDArray largeLabels = Nd4j.createFromArray(0f, 1f, 2f, 0f, 1f, 2f, 0f, 1f);
        INDArray smallLabels = Nd4j.createFromArray(2f, 1f, 0f, 2f, 1f);

        Network reused = new Network(spec, params.dup());
        reused.computeGradient(large, largeLabels, ForwardContext.training(1));
        reused.params().assign(params);
        double reusedLoss = reused.computeGradient(small, smallLabels, ForwardContext.training(1));
        INDArray reusedOutput = reused.output(small);

        Network fresh = new Network(spec, params.dup());
        double freshLoss = fresh.computeGradient(small, smallLabels, ForwardContext.training(1));
        assertEquals(freshLoss, reusedLoss, 0);
        assertEquals(fresh.gradient(), reused.gradient());
        assertEquals(fresh.output(small), reusedOutput);
    }
}
