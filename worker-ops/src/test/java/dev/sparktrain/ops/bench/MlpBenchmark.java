package dev.sparktrain.ops.bench;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.runtime.BlasRuntime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

/**
 * Not a test: times one training step's {@code Network.computeGradient} of the Fashion MLP (784-256-128-10, relu,
 * relu, softmax cross-entropy on class indices, batch 64, float32) and its inference forward pass
 * ({@code Network.output}), then counts the native ops of one step with ND4J's op profiler. Run on one thread from
 * the worker-ops test classpath with {@code bin/blas-env} sourced:
 * {@code java -cp "$(cat cp.txt):worker-ops/target/classes:worker-ops/target/test-classes"
 * dev.sparktrain.ops.bench.MlpBenchmark [steps]}.
 * The last line is one machine-readable summary: {@code RESULT key=value ...} (microseconds, medians).
 */
public final class MlpBenchmark {

    private static final int BATCH = 64;
    private static final int CLASSES = 10;

    private MlpBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.println(BlasRuntime.status().summary());
        NetworkSpec spec = fashionMlp();
        Network network = new Network(spec, spec.initialParameters(42, DataType.FLOAT));
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 784);
        INDArray y = Nd4j.createFromArray(randomClasses()).castTo(DataType.FLOAT);
        ForwardContext training = ForwardContext.training(1);

        double[] step = time(steps, () -> network.computeGradient(x, y, training));
        double[] forward = time(steps, () -> network.output(x));

        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        OpProfiler.getInstance().reset();
        network.computeGradient(x, y, training);
        long ops = OpProfiler.getInstance().getInvocationsCount();
        String perOp = OpProfiler.getInstance().getOpCounter().asString();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);

        System.out.println("native ops in one computeGradient: " + ops);
        System.out.println(perOp);
        System.out.printf("computeGradient: median %.0f us (min %.0f); output: median %.0f us (min %.0f); %d steps%n",
                median(step), min(step), median(forward), min(forward), steps);
        System.out.printf("RESULT step_us=%.0f forward_us=%.0f ops=%d%n", median(step), median(forward), ops);
    }

    static NetworkSpec fashionMlp() {
        return new NetworkSpec(new Shape(784), List.of(
                new Dense(256, Activations.byName("relu")),
                new Dense(128, Activations.byName("relu")),
                new Dense(CLASSES, Activations.byName("identity"))), new SoftmaxCrossEntropy());
    }

    /** Microseconds per call, after as many warm-up calls as measured ones (JIT, allocator, caches). */
    private static double[] time(int n, Runnable call) {
        double[] us = new double[n];
        for (int i = -n; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            if (i >= 0) {
                us[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        return us;
    }

    private static float[] randomClasses() {
        Random r = new Random(7);
        float[] c = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            c[i] = r.nextInt(CLASSES);
        }
        return c;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
