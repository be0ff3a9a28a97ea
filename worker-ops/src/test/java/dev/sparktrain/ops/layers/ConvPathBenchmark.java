package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: times one float convolution layer's forward and backward passes at LeNet's and the ResNet example's
 * shapes, 64 rows, on the im2col + matrix-product path and on oneDNN's primitives ({@link OneDnnConvolution}),
 * alternating batch by batch within one JVM. Thread CPU time (robust on a loaded machine), medians over the batches.
 * Run from the worker-ops test classpath with {@code bin/blas-env} sourced:
 * {@code java -cp "$(cat worker-ops/target/cp.txt):worker-ops/target/classes:worker-ops/target/test-classes"
 * dev.sparktrain.ops.layers.ConvPathBenchmark [batches]}.
 * One line per shape: its count in a network's step, forward and backward ms on each path; then each network's conv
 * total per step on each path.
 */
public final class ConvPathBenchmark {

    private static final int ROWS = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final double[] PROCESS_CPU = new double[2];
    private static final double[] THREAD_CPU = new double[2];
    /** The oneDNN backend compared with the columns: {@code -Dbackend=ONEDNN_NCHW} and the others for one layout. */
    private static final ConvBackend ONEDNN = ConvBackend.valueOf(System.getProperty("backend", "ONEDNN"));

    /** One conv shape of a network, how often it occurs in a step, and whether backward needs dLoss/dx. */
    record Case(String net, String name, int count, int channels, int size, int filters, int kernel, int stride,
                Padding padding, String activation, boolean bias, boolean inputGradient) {
    }

    private ConvPathBenchmark() {
    }

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<Case> cases = List.of(
                new Case("lenet", "conv 5x5x20 on 1x28x28", 1, 1, 28, 20, 5, 1, Padding.VALID, "relu", true, false),
                new Case("lenet", "conv 5x5x50 on 20x12x12", 1, 20, 12, 50, 5, 1, Padding.VALID, "relu", true, true),
                new Case("resnet", "stem 3x3x16 on 1x28x28", 1, 1, 28, 16, 3, 1, Padding.SAME, "identity", false,
                        false),
                new Case("resnet", "3x3x16 on 16x28x28", 4, 16, 28, 16, 3, 1, Padding.SAME, "identity", false, true),
                new Case("resnet", "3x3x32 /2 on 16x28x28", 1, 16, 28, 32, 3, 2, Padding.SAME, "identity", false, true),
                new Case("resnet", "1x1x32 /2 on 16x28x28", 1, 16, 28, 32, 1, 2, Padding.VALID, "identity", false,
                        true),
                new Case("resnet", "3x3x32 on 32x14x14", 3, 32, 14, 32, 3, 1, Padding.SAME, "identity", false, true),
                new Case("resnet", "3x3x64 /2 on 32x14x14", 1, 32, 14, 64, 3, 2, Padding.SAME, "identity", false, true),
                new Case("resnet", "1x1x64 /2 on 32x14x14", 1, 32, 14, 64, 1, 2, Padding.VALID, "identity", false,
                        true),
                new Case("resnet", "3x3x64 on 64x7x7", 3, 64, 7, 64, 3, 1, Padding.SAME, "identity", false, true));
        System.out.println("onednn available: " + OneDnnBuilder.available() + ", backend " + ONEDNN
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        System.out.printf("%-7s %-26s %5s %12s %12s %12s %12s%n", "net", "shape", "count", "im2col fwd", "im2col bwd",
                "onednn fwd", "onednn bwd");
        double[][] totals = new double[2][4];
        for (Case c : cases) {
            double[] ms = time(c, batches);
            System.out.printf("%-7s %-26s %5d %12.3f %12.3f %12.3f %12.3f%n", c.net(), c.name(), c.count(), ms[0],
                    ms[1], ms[2], ms[3]);
            int net = c.net().equals("lenet") ? 0 : 1;
            for (int i = 0; i < 4; i++) {
                totals[net][i] += c.count() * ms[i];
            }
        }
        System.out.printf("process CPU / this thread's CPU over the timed passes: columns %.3f, %s %.3f (1.0: no other"
                + " thread worked for them)%n", PROCESS_CPU[0] / THREAD_CPU[0], ONEDNN, PROCESS_CPU[1] / THREAD_CPU[1]);
        for (int net = 0; net < 2; net++) {
            double[] t = totals[net];
            System.out.printf("TOTAL %s convs per step: im2col %.2f ms (fwd %.2f, bwd %.2f), onednn %.2f ms (fwd %.2f,"
                    + " bwd %.2f), ratio %.2f%n", net == 0 ? "lenet" : "resnet", t[0] + t[1], t[0], t[1], t[2] + t[3],
                    t[2], t[3], (t[0] + t[1]) / (t[2] + t[3]));
        }
    }

    /** Medians of forward and backward ms on the im2col path, then on oneDNN's. */
    static double[] time(Case c, int batches) {
        Conv2d spec = new Conv2d(c.filters(), Size2.square(c.kernel()), Size2.square(c.stride()), c.padding(),
                Size2.square(1), c.bias(), Activations.byName(c.activation()), WeightInit.HE_NORMAL);
        Shape input = new Shape(c.channels(), c.size(), c.size());
        Shape out = spec.outputShape(input);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, ROWS, c.channels(), c.size(), c.size());
        INDArray g = Nd4j.randn(DataType.FLOAT, ROWS, out.dim(0), out.dim(1), out.dim(2));
        INDArray w = Nd4j.randn(DataType.FLOAT, c.filters(), c.channels(), c.kernel(), c.kernel()).muli(0.1);
        INDArray b = c.bias() ? Nd4j.randn(DataType.FLOAT, c.filters()) : null;
        Conv2dLayer[] layers = new Conv2dLayer[2];
        for (int p = 0; p < 2; p++) {
            layers[p] = new Conv2dLayer(spec, input, w, b, w.like(), b == null ? null : b.like(),
                    Conv2dLayer.COLUMN_BUDGET_BYTES, p == 0 ? ConvBackend.COLUMNS : ONEDNN);
        }
        double[][] samples = new double[4][batches];
        for (int i = -10; i < batches; i++) {
            for (int p = 0; p < 2; p++) {
                long process0 = OS.getProcessCpuTime();
                long t0 = cpu();
                layers[p].forward(x, ForwardContext.training(1));
                long t1 = cpu();
                if (c.inputGradient()) {
                    layers[p].backward(g);
                } else {
                    layers[p].backwardParamsOnly(g);
                }
                long t2 = cpu();
                long process2 = OS.getProcessCpuTime();
                if (i >= 0) {
                    PROCESS_CPU[p] += process2 - process0;
                    THREAD_CPU[p] += t2 - t0;
                    samples[2 * p][i] = (t1 - t0) / 1e6;
                    samples[2 * p + 1][i] = (t2 - t1) / 1e6;
                }
            }
        }
        if (!layers[1].ranOneDnn()) {
            throw new IllegalStateException(c.name() + ": oneDNN did not run");
        }
        double[] medians = new double[4];
        for (int i = 0; i < 4; i++) {
            Arrays.sort(samples[i]);
            medians[i] = samples[i][batches / 2];
        }
        return medians;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
