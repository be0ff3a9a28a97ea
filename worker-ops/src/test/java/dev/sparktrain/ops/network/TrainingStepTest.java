package dev.sparktrain.ops.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.debug.GradientCheck;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.params.ParamSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training step of the Fashion MLP (784-256-128-10, relu, relu, softmax cross-entropy on class indices) in
 * float32 against {@link ReferenceMlp} in double, a smaller one against centred differences, and the network's reuse
 * of its buffers across calls, batch sizes and a caller's workspace against fresh networks.
 */
class TrainingStepTest {

    private static final NetworkSpec MLP = new NetworkSpec(new Shape(784), List.of(new Dense(256, new Relu()),
            new Dense(128, new Relu()), new Dense(10, new Identity())), new SoftmaxCrossEntropy());
    private static final ForwardContext TRAINING = ForwardContext.training(3);

    private static INDArray params() {
        INDArray p = MLP.initialParameters(42, DataType.FLOAT);
        Nd4j.getRandom().setSeed(9);
        return p.addi(Nd4j.rand(DataType.FLOAT, p.length()).subi(0.5).muli(0.02)); // non-zero biases
    }

    private static INDArray features(int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, batch, 784);
    }

    private static int[] classes(int batch, long seed) {
        Random r = new Random(seed);
        int[] c = new int[batch];
        for (int i = 0; i < batch; i++) {
            c[i] = r.nextInt(10);
        }
        return c;
    }

    private static INDArray labels(int[] classes) {
        return Nd4j.createFromArray(classes).castTo(DataType.FLOAT);
    }

    /** ‖a − b‖₂ / ‖b‖₂ over one tensor of the layout. */
    private static double relativeError(INDArray a, INDArray b, ParamSpec tensor) {
        INDArray x = MLP.layout().view(a.castTo(DataType.DOUBLE), tensor.name());
        INDArray ref = MLP.layout().view(b, tensor.name());
        return x.sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
    }

    @Test
    void float32StepMatchesTheDoubleReference() {
        INDArray params = params();
        INDArray x = features(64, 1);
        int[] c = classes(64, 2);
        ReferenceMlp.Step ref = ReferenceMlp.step(MLP, params, x, c);
        for (INDArray labels : List.of(labels(c), labels(c).reshape(64, 1))) {
            Network network = new Network(MLP, params.dup());
            double loss = network.computeGradient(x, labels, TRAINING);
            assertEquals(ref.loss(), loss, 1e-6 * ref.loss());
            for (ParamSpec tensor : MLP.layout().specs()) {
                double error = relativeError(network.gradient(), ref.gradient(), tensor);
                assertTrue(error < 1e-6, tensor.name() + ": relative error " + error);
            }
        }
    }

    @Test
    void twoReluLayersPassTheDoubleGradientCheck() {
        NetworkSpec small = new NetworkSpec(new Shape(12), List.of(new Dense(9, new Relu()), new Dense(7, new Relu()),
                new Dense(4, new Identity())), new SoftmaxCrossEntropy());
        INDArray params = small.initialParameters(5, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(6);
        params.addi(Nd4j.rand(DataType.DOUBLE, params.length()).subi(0.5).muli(0.1)); // units off their kinks
        INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 12);
        INDArray y = Nd4j.createFromArray(0.0, 3.0, 1.0, 2.0, 3.0, 1.0).reshape(6, 1);
        for (GradientCheck.TensorReport r : GradientCheck.defaults().check(small, params, x, y, 200, TRAINING)) {
            assertTrue(r.maxRelativeError() < 1e-6, r.toString());
        }
    }

    @Test
    void changingBatchSizesGiveWhatFreshNetworksGive() {
        INDArray params = params();
        Network reused = new Network(MLP, params.dup());
        int[] sizes = {64, 17, 64, 1, 64};
        for (int i = 0; i < sizes.length; i++) {
            INDArray x = features(sizes[i], 10 + i);
            INDArray y = labels(classes(sizes[i], 20 + i));
            Network fresh = new Network(MLP, params.dup());
            assertEquals(fresh.computeGradient(x, y, TRAINING), reused.computeGradient(x, y, TRAINING), 0.0);
            assertEquals(fresh.gradient(), reused.gradient(), "batch " + i + " of " + sizes[i]);
            assertEquals(fresh.output(x), reused.output(x));
        }
    }

    @Test
    void viewsIntoALargerBlockGiveWhatCopiesGive() {
        INDArray block = features(100, 4);
        INDArray blockLabels = labels(classes(100, 5)).reshape(100, 1);
        INDArray x = block.get(NDArrayIndex.interval(30, 94), NDArrayIndex.all());
        INDArray y = blockLabels.get(NDArrayIndex.interval(30, 94), NDArrayIndex.all());
        Network viaViews = new Network(MLP, params());
        Network viaCopies = new Network(MLP, params());
        assertEquals(viaCopies.computeGradient(x.dup(), y.dup(), TRAINING), viaViews.computeGradient(x, y, TRAINING));
        assertEquals(viaCopies.gradient(), viaViews.gradient());
    }

    @Test
    void buffersCreatedInsideACallersWorkspaceOutliveIt() {
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.FIRST_LOOP).build();
        INDArray x = features(64, 7);
        INDArray y = labels(classes(64, 8));
        Network network = new Network(MLP, params());
        for (int i = 0; i < 3; i++) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "caller")) {
                network.computeGradient(x, y, TRAINING);
            }
        }
        Network fresh = new Network(MLP, params());
        assertEquals(fresh.computeGradient(x, y, TRAINING), network.computeGradient(x, y, TRAINING));
        assertEquals(fresh.gradient(), network.gradient());
    }

    @Test
    void outputsHandedOutSurviveLaterCalls() {
        Network network = new Network(MLP, params());
        INDArray x1 = features(64, 1);
        INDArray x2 = features(64, 2);
        INDArray y2 = labels(classes(64, 3));
        INDArray out = network.output(x1);
        List<INDArray> acts = network.activations(x1, ForwardContext.INFERENCE);
        INDArray outCopy = out.dup();
        List<INDArray> actsCopy = acts.stream().map(INDArray::dup).toList();
        network.output(x2);
        network.activations(x2, ForwardContext.INFERENCE);
        network.computeGradient(x2, y2, TRAINING);
        network.loss(x2, y2);
        assertEquals(outCopy, out);
        assertEquals(actsCopy, acts);
        assertEquals(out, acts.get(acts.size() - 1));
    }
}
