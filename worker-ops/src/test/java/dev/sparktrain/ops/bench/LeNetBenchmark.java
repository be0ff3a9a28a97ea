package dev.sparktrain.ops.bench;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Flatten;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Layer;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.ParamShape;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.LossResult;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.runtime.BlasRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Not a test: times LeNet forward + backward on a batch of 64 (conv 5x5x20 on 1x28x28, maxpool 2, conv 5x5x50,
 * maxpool 2, dense 500 relu, dense 10, softmax cross-entropy), split into conv/pool layers and the rest, and a
 * 64x784·784x256 float gemm (BLAS direct and through {@code INDArray.mmul}). Used to choose ND4J's native
 * classifier ({@code docs/performance.md}). Run from the worker-ops test classpath with {@code bin/blas-env}
 * sourced (OPENBLAS_CORETYPE, OMP_NUM_THREADS=1):
 * {@code java -cp "$(cat cp.txt):worker-ops/target/classes:worker-ops/target/test-classes"
 * dev.sparktrain.ops.bench.LeNetBenchmark [batches]}.
 * Times are the thread's CPU time (robust on a loaded machine), medians over the batches.
 * The last line is one machine-readable summary: {@code RESULT key=value ...} (milliseconds per batch, GFLOP/s).
 */
public final class LeNetBenchmark {

    private static final int BATCH = 64;
    private static final int CLASSES = 10;

    private LeNetBenchmark() {
    }

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        System.out.println(BlasRuntime.status().summary());
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        boolean onednn = build.contains("ONEDNN") || build.contains("MKLDNN");
        System.out.println("libnd4j build: " + build.replace('\n', ' '));
        System.out.println("classifier jar: " + classifierJar());

        NetworkSpec spec = lenet();
        INDArray params = spec.initialParameters(42, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 1, 28, 28);
        INDArray y = Nd4j.createFromArray(randomClasses()).castTo(DataType.FLOAT);

        // 1. Whole forward + backward through the project's Network.
        Network network = new Network(spec, params.dup());
        ForwardContext training = ForwardContext.training(1);
        for (int i = 0; i < 10; i++) {
            network.computeGradient(x, y, training);
        }
        double[] total = new double[batches];
        for (int i = 0; i < batches; i++) {
            long t0 = cpuNanos();
            network.computeGradient(x, y, training);
            total[i] = (cpuNanos() - t0) / 1e6;
        }

        // 2. The same maths layer by layer, to split conv/pool from the rest.
        List<Layer> layers = bind(spec, params.dup());
        int n = layers.size();
        double[][] fwd = new double[n][batches];
        double[][] bwd = new double[n][batches];
        double[] lossMs = new double[batches];
        for (int i = -10; i < batches; i++) {
            INDArray a = x;
            for (int l = 0; l < n; l++) {
                long t0 = cpuNanos();
                a = layers.get(l).forward(a, training);
                if (i >= 0) {
                    fwd[l][i] = (cpuNanos() - t0) / 1e6;
                }
            }
            long t0 = cpuNanos();
            LossResult loss = spec.loss().compute(a, y, null);
            INDArray g = loss.gradient();
            if (i >= 0) {
                lossMs[i] = (cpuNanos() - t0) / 1e6;
            }
            for (int l = n - 1; l >= 0; l--) {
                long t1 = cpuNanos();
                // As the network does: no dLoss/dx for the first layer, whose input is the data.
                if (l == 0) {
                    layers.get(l).backwardParamsOnly(g);
                } else {
                    g = layers.get(l).backward(g);
                }
                if (i >= 0) {
                    bwd[l][i] = (cpuNanos() - t1) / 1e6;
                }
            }
        }
        double convPool = 0;
        double rest = median(lossMs);
        System.out.printf("%-3s %-10s %9s %9s%n", "#", "layer", "fwd ms", "bwd ms");
        for (int l = 0; l < n; l++) {
            String kind = spec.layers().get(l).kind();
            double f = median(fwd[l]);
            double b = median(bwd[l]);
            System.out.printf("%-3d %-10s %9.3f %9.3f%n", l, kind, f, b);
            if (kind.equals("conv2d") || kind.endsWith("pool2d")) {
                convPool += f + b;
            } else {
                rest += f + b;
            }
        }
        System.out.printf("    %-10s %9.3f%n", "loss", median(lossMs));

        // 3. The dense-layer-sized gemm, BLAS direct and through INDArray.mmul (libnd4j's matmul op).
        double gemm = gemmGflops(false);
        double mmul = gemmGflops(true);

        double t = median(total);
        System.out.printf("LeNet fwd+bwd, batch %d: median %.2f ms (min %.2f) over %d batches; conv/pool layers "
                        + "%.2f ms, rest %.2f ms (layer-wise sum %.2f ms)%n", BATCH, t, min(total), batches,
                convPool, rest, convPool + rest);
        System.out.printf("gemm 64x784*784x256: Nd4j.gemm %.1f GFLOP/s, INDArray.mmul %.1f GFLOP/s%n", gemm, mmul);
        System.out.printf("RESULT onednn=%s total_ms=%.2f convpool_ms=%.2f rest_ms=%.2f gemm_gflops=%.1f "
                + "mmul_gflops=%.1f%n", onednn, t, convPool, rest, gemm, mmul);
    }

    static NetworkSpec lenet() {
        List<LayerSpec> layers = List.of(
                Conv2d.of(20, 5, Padding.VALID, Activations.byName("relu")),
                Pool2d.max(2),
                Conv2d.of(50, 5, Padding.VALID, Activations.byName("relu")),
                Pool2d.max(2),
                new Flatten(),
                new Dense(500, Activations.byName("relu")),
                new Dense(CLASSES, Activations.byName("identity")));
        return new NetworkSpec(new Shape(1, 28, 28), layers, new SoftmaxCrossEntropy());
    }

    /** Binds the layers over views of {@code params}, as {@link Network} does, so each can be timed. */
    private static List<Layer> bind(NetworkSpec spec, INDArray params) {
        ParamLayout layout = spec.layout();
        INDArray grads = params.ulike();
        List<Shape> shapes = spec.shapes();
        List<Layer> bound = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Map<String, INDArray> p = new HashMap<>();
            Map<String, INDArray> g = new HashMap<>();
            for (ParamShape ps : layer.params(shapes.get(i))) {
                String name = spec.paramName(i, ps.name());
                p.put(ps.name(), layout.view(params, name));
                g.put(ps.name(), layout.view(grads, name));
            }
            bound.add(layer.build(i, shapes.get(i), p, g));
        }
        return bound;
    }

    private static double gemmGflops(boolean viaMmul) {
        int m = BATCH;
        int k = 784;
        int nn = 256;
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, nn);
        INDArray c = Nd4j.create(DataType.FLOAT, m, nn);
        double flops = 2.0 * m * k * nn;
        double[] got = new double[2000];
        for (int i = -20; i < got.length; i++) {
            long t0 = cpuNanos();
            if (viaMmul) {
                a.mmul(b);
            } else {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
            long dt = cpuNanos() - t0;
            if (i >= 0) {
                got[i] = flops / dt;
            }
        }
        return median(got);
    }

    private static int[] randomClasses() {
        java.util.Random r = new java.util.Random(7);
        int[] c = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            c[i] = r.nextInt(CLASSES);
        }
        return c;
    }

    private static String classifierJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> p.matches(".*nd4j-native-[^/]*-linux-[^/]*\\.jar")).map(p -> p.replaceAll(".*/", ""))
                .toList().toString();
    }

    /**
     * This thread's CPU time: on a machine shared with other work, wall-clock time per op mostly measures how long
     * the thread waited for a core; its CPU time does not.
     */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
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
