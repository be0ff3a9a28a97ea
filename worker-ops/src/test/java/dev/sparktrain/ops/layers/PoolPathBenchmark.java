package dev.sparktrain.ops.layers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: times one float pooling layer's forward and backward passes at LeNet's shapes (and the 3x3 stride-2
 * same-padded window of ResNet-style stems), 64 rows, on the Java walk and on oneDNN's pooling primitives
 * ({@link OneDnnPooling}), alternating batch by batch within one JVM; the Java path also split into its copies between
 * native memory and the heap (the same {@link HeapValues} loads and stores the layer makes) and the rest (the walk).
 * Thread CPU time, medians over the batches. Run from the worker-ops test classpath with {@code bin/blas-env} sourced:
 * {@code java -cp "$(cat worker-ops/target/cp.txt):worker-ops/target/classes:worker-ops/target/test-classes"
 * dev.sparktrain.ops.layers.PoolPathBenchmark [batches]}.
 */
public final class PoolPathBenchmark {

    private static final int ROWS = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One pooling shape: channels x size x size input, its window, and whether it is max pooling. */
    record Case(String name, int channels, int size, Pool2d spec) {
    }

    private PoolPathBenchmark() {
    }

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<Case> cases = List.of(
                new Case("lenet maxpool 2 on 20x24x24", 20, 24, Pool2d.max(2)),
                new Case("lenet maxpool 2 on 50x8x8", 50, 8, Pool2d.max(2)),
                new Case("avgpool 2 on 20x24x24", 20, 24, Pool2d.avg(2)),
                new Case("maxpool 3 /2 same on 16x28x28", 16, 28,
                        new Pool2d(true, Size2.square(3), Size2.square(2), Padding.SAME)));
        System.out.println("onednn available: " + OneDnnBuilder.available() + ", OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS"));
        System.out.printf("%-31s %9s %9s %9s %9s %9s %9s %9s %9s%n", "shape", "java fwd", "copies", "walk",
                "java bwd", "copies", "scatter", "dnnl fwd", "dnnl bwd");
        double[] lenet = new double[4];
        for (Case c : cases) {
            double[] ms = time(c, batches);
            System.out.printf("%-31s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f%n", c.name(), ms[0], ms[4],
                    ms[0] - ms[4], ms[1], ms[5], ms[1] - ms[5], ms[2], ms[3]);
            if (c.name().startsWith("lenet")) {
                for (int i = 0; i < 4; i++) {
                    lenet[i] += ms[i];
                }
            }
        }
        System.out.printf("TOTAL lenet pools per step: java %.3f ms (fwd %.3f, bwd %.3f), onednn %.3f ms (fwd %.3f,"
                + " bwd %.3f), ratio %.2f%n", lenet[0] + lenet[1], lenet[0], lenet[1], lenet[2] + lenet[3], lenet[2],
                lenet[3], (lenet[0] + lenet[1]) / (lenet[2] + lenet[3]));
    }

    /**
     * Medians of: Java forward, Java backward, oneDNN forward, oneDNN backward, then the Java forward's copies (x to
     * the heap, y back) and the Java backward's (dy to the heap, dx zeroed and back).
     */
    static double[] time(Case c, int batches) {
        Shape input = new Shape(c.channels(), c.size(), c.size());
        Shape out = c.spec().outputShape(input);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, ROWS, c.channels(), c.size(), c.size());
        INDArray g = Nd4j.randn(DataType.FLOAT, ROWS, out.dim(0), out.dim(1), out.dim(2));
        Pool2dLayer[] layers = {new Pool2dLayer(c.spec(), input, false), new Pool2dLayer(c.spec(), input, true)};
        HeapValues in = HeapValues.of(DataType.FLOAT);
        HeapValues outValues = HeapValues.of(DataType.FLOAT);
        INDArray y = layers[0].forward(x, ForwardContext.training(1)).dup();
        INDArray dx = layers[0].backward(g).dup();
        int inLength = HeapValues.length(x);
        double[][] samples = new double[6][batches];
        for (int i = -20; i < batches; i++) {
            for (int p = 0; p < 2; p++) {
                long t0 = cpu();
                layers[p].forward(x, ForwardContext.training(1));
                long t1 = cpu();
                layers[p].backward(g);
                long t2 = cpu();
                if (i >= 0) {
                    samples[2 * p][i] = (t1 - t0) / 1e6;
                    samples[2 * p + 1][i] = (t2 - t1) / 1e6;
                }
            }
            long t0 = cpu();
            in.load(x);
            outValues.ensure(HeapValues.length(y));
            outValues.store(y);
            long t1 = cpu();
            outValues.load(g);
            in.ensure(inLength).zero(0, inLength);
            in.store(dx);
            long t2 = cpu();
            if (i >= 0) {
                samples[4][i] = (t1 - t0) / 1e6;
                samples[5][i] = (t2 - t1) / 1e6;
            }
        }
        if (!layers[1].ranOneDnn() || layers[0].ranOneDnn()) {
            throw new IllegalStateException(c.name() + ": the paths did not run as asked");
        }
        double[] medians = new double[6];
        for (int i = 0; i < 6; i++) {
            Arrays.sort(samples[i]);
            medians[i] = samples[i][batches / 2];
        }
        return medians;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
