package dev.sparktrain.ps.bench;

import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.VectorSum;
import dev.sparktrain.ps.fused.DriverCores;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Scheduled;
import dev.sparktrain.ps.optim.Sgd;
import dev.sparktrain.ps.schedule.CosineDecay;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: the driver's work per round between the workers' results and the next round's parameters, as session 10
 * had it (the mean in place, a native copy, the gradient's norm, the previous parameters, the whole-vector step, the
 * change's norm, the parameters' norm for the metrics, the snapshot) against the fused passes (one pass; the
 * snapshot and the parameters' norm come with it), interleaved, medians of many rounds, in µs. For {@code sync}, two
 * workers' gradient sums: merged first (their sum in place, as session 11 did before its fused pass), or read as two
 * terms by the fused pass itself, with the norms measured after the snapshot is out (session 12: what a round waits
 * for, then the norms apart). Run with
 * {@code java -cp ... [-Dsparktrain.driver.threads=1] DriverUpdateBenchmark [n] [rounds]}; n defaults to the Fashion
 * MLP's 235,146 parameters.
 */
public final class DriverUpdateBenchmark {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 235_146;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        System.out.printf("n=%d, driver threads %d%n", n, DriverCores.shared().threads());
        Random random = new Random(1);
        float[] initial = new float[n];
        for (int i = 0; i < n; i++) {
            initial[i] = (float) random.nextGaussian() * 0.05f;
        }
        float[] sums = new float[n];
        float[] other = new float[n];
        for (int i = 0; i < n; i++) {
            sums[i] = (float) random.nextGaussian() * 64;
            other[i] = (float) random.nextGaussian() * 64;
        }
        measureMerge(new Scheduled(Adam.defaults(2e-3), new CosineDecay(100_000, 0)), initial, sums, other, rounds);
        measure("sync, adam + cosine", new Scheduled(Adam.defaults(2e-3), new CosineDecay(100_000, 0)), initial, sums,
                rounds, false);
        measure("outer, nesterov sgd", Sgd.nesterov(1.0, 0.5), initial, sums, rounds, true);
    }

    private static void measure(String what, Optimizer optimizer, float[] initial, float[] source, int rounds,
                                boolean outer) {
        ParameterServer before = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterServer fused = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        float[] mean = new float[source.length];
        INDArray meanNative = Nd4j.createFromArray(mean);
        ParameterSnapshot beforeSnapshot = before.snapshot(null);
        ParameterSnapshot fusedSnapshot = fused.snapshot(fused.snapshot(null));
        long[] beforeNanos = new long[rounds];
        long[] fusedNanos = new long[rounds];
        float[] work = source.clone();
        for (int r = 0; r < rounds; r++) {
            float[] scaled = outer ? fusedSnapshot.params() : source;
            // main: the mean in place, copied to native, its norm, the server's step, the metrics' norm, a snapshot.
            System.arraycopy(scaled, 0, work, 0, work.length);
            long t0 = System.nanoTime();
            if (outer) {
                NativeFloats.copyInto(meanNative, work);
                before.distanceTo(meanNative);
                before.applyOuterStep(meanNative, null);
            } else {
                for (int i = 0; i < work.length; i++) {
                    work[i] = work[i] / 128f;
                }
                NativeFloats.copyInto(meanNative, work);
                BlasVectors.norm2(meanNative);
                before.applyMeanGradientOverwriting(meanNative);
            }
            before.paramsNorm();
            beforeSnapshot = before.snapshot(beforeSnapshot);
            long t1 = System.nanoTime();
            if (outer) {
                fused.applyOuterStep(work, null);
            } else {
                fused.applyMeanGradient(source, 128);
            }
            fused.paramsNorm();
            fusedSnapshot = fused.snapshot(fusedSnapshot);
            long t2 = System.nanoTime();
            beforeNanos[r] = t1 - t0;
            fusedNanos[r] = t2 - t1;
        }
        if (!Arrays.equals(beforeSnapshot.params(), fusedSnapshot.params())) {
            throw new IllegalStateException(what + ": the fused passes gave other parameters");
        }
        System.out.printf("%-22s main's sequence %6.0f µs, fused passes %6.0f µs (medians of the last %d rounds)%n",
                what, median(beforeNanos, rounds / 2) / 1e3, median(fusedNanos, rounds / 2) / 1e3, rounds / 2);
    }

    /**
     * {@code sync}'s driver work from two workers' gradient sums: a merge, the fused pass, the norms and the snapshot
     * (session 11), against the fused pass adding the two as it reads them and the snapshot (session 12), then the
     * norms that session 12 measures while the workers compute, alternating round by round.
     */
    private static void measureMerge(Optimizer optimizer, float[] initial, float[] first, float[] second, int rounds) {
        ParameterServer merging = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterServer reading = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterSnapshot mergingSnapshot = merging.snapshot(merging.snapshot(null));
        ParameterSnapshot readingSnapshot = reading.snapshot(reading.snapshot(null));
        float[] sum = new float[first.length];
        long[] mergingNanos = new long[rounds];
        long[] readingNanos = new long[rounds];
        long[] normsNanos = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            // The merged result's first array: the first worker's sums, which the merge adds into.
            System.arraycopy(first, 0, sum, 0, sum.length);
            long t0 = System.nanoTime();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += second[i];
            }
            ParameterServer.Update merged = merging.applyMeanGradient(sum, 128);
            merged.updateNorm();
            merging.paramsNorm();
            mergingSnapshot = merging.snapshot(mergingSnapshot);
            long t1 = System.nanoTime();
            ParameterServer.Update read = reading.applyMeanGradient(new VectorSum(List.of(first, second)), 128);
            readingSnapshot = reading.snapshot(readingSnapshot);
            long t2 = System.nanoTime();
            read.updateNorm();
            reading.paramsNorm();
            long t3 = System.nanoTime();
            mergingNanos[r] = t1 - t0;
            readingNanos[r] = t2 - t1;
            normsNanos[r] = t3 - t2;
        }
        if (!Arrays.equals(mergingSnapshot.params(), readingSnapshot.params())) {
            throw new IllegalStateException("the sums read as terms gave other parameters than the merged sums");
        }
        System.out.printf("%-22s merge + fused pass + norms %6.0f µs, terms read by the fused pass %6.0f µs + norms "
                + "later %6.0f µs (medians of the last %d rounds)%n", "sync, 2 workers' sums",
                median(mergingNanos, rounds / 2) / 1e3, median(readingNanos, rounds / 2) / 1e3,
                median(normsNanos, rounds / 2) / 1e3, rounds / 2);
    }

    private static double median(long[] nanos, int from) {
        long[] tail = Arrays.copyOfRange(nanos, from, nanos.length);
        Arrays.sort(tail);
        return tail[tail.length / 2];
    }

    private DriverUpdateBenchmark() {
    }
}
