package dev.sparktrain.jobs.bench;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ps.optim.OptimizerState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: a few training steps of a config's model on random rows (float32, the config's optimizer, batch and
 * seed), then the hash of every step's loss bits, the last gradient, the parameters and an inference pass's output.
 * Two builds that print the same line computed the same bits: how a change meant to be bitwise (a faster pass
 * over memory) is checked against main (docs/performance.md, issue #22). Run from the jobs test classpath:
 * {@code java -cp ... dev.sparktrain.jobs.bench.StepChecksum CONFIG [STEPS]}.
 */
public final class StepChecksum {

    private StepChecksum() {
    }

    public static void main(String[] args) {
        RunConfig run = RunConfigParser.parse(ConfigTree.read(Path.of(args[0])));
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batch = run.training().batchSizePerWorker();
        long[] shape = run.model().input().withBatch(batch);
        Random random = new Random(11);
        Network network = new Network(run.model(), run.model().initialParameters(run.training().seed(),
                DataType.FLOAT));
        OptimizerState state = run.optimizer().init(network.params());
        int hash = 1;
        for (int s = 0; s < steps; s++) {
            INDArray x = Nd4j.createFromArray(randomFloats(random, batch * (int) run.model().input().size()))
                    .reshape(shape);
            float[] classes = new float[batch];
            for (int i = 0; i < batch; i++) {
                classes[i] = random.nextInt(10);
            }
            INDArray y = Nd4j.createFromArray(classes);
            double loss = network.computeGradient(x, y, ForwardContext.training(run.training().seed() + s));
            hash = 31 * hash + Long.hashCode(Double.doubleToLongBits(loss));
            System.out.println("step " + s + " loss " + loss);
            if (s < steps - 1) {
                state = run.optimizer().stepInPlace(network.gradient(), state, network.params()).state();
            }
        }
        int gradient = Arrays.hashCode(network.gradient().data().asFloat());
        state = run.optimizer().stepInPlace(network.gradient(), state, network.params()).state();
        int params = Arrays.hashCode(network.params().data().asFloat());
        INDArray probe = Nd4j.createFromArray(randomFloats(random, 32 * (int) run.model().input().size()))
                .reshape(run.model().input().withBatch(32));
        int output = Arrays.hashCode(network.output(probe).data().asFloat());
        System.out.printf("CHECKSUM losses=%08x gradient=%08x params=%08x output=%08x%n", hash, gradient, params,
                output);
    }

    private static float[] randomFloats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat();
        }
        return v;
    }
}
