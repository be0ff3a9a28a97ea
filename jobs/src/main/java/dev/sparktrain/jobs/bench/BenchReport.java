package dev.sparktrain.jobs.bench;

import dev.sparktrain.jobs.config.RunConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Prints the benchmark's figures as they come, the ratios the targets are stated in, and at the end one
 * {@code BENCH key=value} line per figure (keys are stable; values are plain numbers).
 */
public final class BenchReport {

    private final PrintStream out;
    private final RunConfig run;
    private final int threads;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<ModeThroughput.Result> modes = new ArrayList<>();
    private double flopsPerSample;
    private double modelShapeSeconds;
    private double modelShapeFlops;
    private double roofline1024;
    private double kernelSamplesPerSecond;

    public BenchReport(PrintStream out, RunConfig run, int threads) {
        this.out = out;
        this.run = run;
        this.threads = threads;
    }

    /** {@code transport} as it runs ({@code Trainer.describe}). */
    public void header(String master, String transport, double trainingFlopsPerSample) {
        this.flopsPerSample = trainingFlopsPerSample;
        out.printf(Locale.ROOT, "bench %s on %s: %d workers x %d rows, optimizer %s, %d parameters, %.3f MFLOP per"
                        + " training sample (matrix products, forward + backward), transport %s%n", run.name(), master,
                threads, run.training().batchSizePerWorker(), run.optimizer().name(),
                run.model().layout().totalLength(), trainingFlopsPerSample / 1e6, transport);
        put("threads", threads);
        put("batch_per_worker", run.training().batchSizePerWorker());
        put("transport", transport.replace(" (", "_").replace(")", "").replace(' ', '_'));
        put("mflop_per_sample", trainingFlopsPerSample / 1e6);
        out.printf(Locale.ROOT, "1. gemm roofline: float32 Nd4j.gemm into a preallocated result, %d thread(s) at once,"
                + " each with its own matrices%n", threads);
    }

    public void roofline(String what, ModelFlops.Gemm gemm, double gflops) {
        out.printf(Locale.ROOT, "   %-22s %-16s %8.1f GFLOP/s%n", what, gemm, gflops);
        put("gemm_gflops_" + gemm, gflops);
        if (gemm.m() == 1024 && gemm.k() == 1024 && gemm.n() == 1024) {
            roofline1024 = gflops;
        } else {
            // The model's products weighted by their work: the time they would take at these rates.
            modelShapeFlops += gemm.flops();
            modelShapeSeconds += gemm.flops() / (gflops * 1e9);
        }
    }

    public void roofline1024SingleThread(double gflops) {
        out.printf(Locale.ROOT, "   %-22s %-16s %8.1f GFLOP/s (one thread alone)%n", "1024^3", "1024x1024x1024",
                gflops);
        put("gemm_gflops_1024_one_thread", gflops);
    }

    private double modelShapeRoofline() {
        return modelShapeSeconds > 0 ? modelShapeFlops / modelShapeSeconds / 1e9 : Double.NaN;
    }

    public void kernel(double samplesPerSecond) {
        kernelSamplesPerSecond = samplesPerSecond;
        double gflops = samplesPerSecond * flopsPerSample / 1e9;
        out.printf(Locale.ROOT, "2. kernel (no Spark): forward + backward + %s update, batch %d, %d replica(s):"
                        + " %.0f samples/s = %.1f GFLOP/s in matrix products%n", run.optimizer().name(),
                run.training().batchSizePerWorker(), threads, samplesPerSecond, gflops);
        out.printf(Locale.ROOT, "   = %.0f%% of the roofline at the model's shapes (%.1f GFLOP/s), %.0f%% of the"
                + " 1024^3 roofline%n", 100 * gflops / modelShapeRoofline(), modelShapeRoofline(),
                100 * gflops / roofline1024);
        put("gemm_gflops_model_shapes", modelShapeRoofline());
        put("kernel_first_samples_per_sec", samplesPerSecond);
    }

    /** The kernel step's CPU time per op, as shares and milliseconds per step, largest first. */
    public void opShares(OpProfile.Result profile) {
        long total = profile.selfNanos().values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "   time per op (one replica, thread CPU time, %d steps, %.2f ms per step):%n",
                profile.steps(), total / 1e6 / Math.max(1, profile.steps()));
        profile.selfNanos().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> {
                    double share = (double) e.getValue() / total;
                    out.printf(Locale.ROOT, "     %-26s %5.1f%%  %7.3f ms%n", e.getKey(), 100 * share,
                            e.getValue() / 1e6 / Math.max(1, profile.steps()));
                    put("share_" + e.getKey().replace(' ', '_'), share);
                });
    }

    /**
     * The kernel measured again after the Spark runs: the machine's speed drifts (it is shared), so the ratios divide
     * by the mean of the measurements on either side of what they compare.
     */
    public void kernelAgain(double samplesPerSecond) {
        double first = kernelSamplesPerSecond;
        kernelSamplesPerSecond = (first + samplesPerSecond) / 2;
        out.printf(Locale.ROOT, "   again after the Spark runs: %.0f samples/s; the ratios use the mean, %.0f%n",
                samplesPerSecond, kernelSamplesPerSecond);
        put("kernel_second_samples_per_sec", samplesPerSecond);
    }

    public void mode(ModeThroughput.Result r) {
        modes.add(r);
        if (modes.size() == 1) {
            out.printf(Locale.ROOT, "3. Spark training (after untimed one-epoch runs as long as the kernel's warm-up;"
                    + " medians of epochs 2..N; round split: means per round, ms: the driver's snapshot, the slowest"
                    + " worker's read and compute, the hand-off (%s: the rest of the round trip, with the driver's"
                    + " merge of the results), the driver's update; then the driver's time between rounds)%n",
                    run.training().transport().configName().equals("job") ? "one Spark job" : "the channel");
        }
        out.printf(Locale.ROOT, "   %-8s %8.0f samples/s  %6.2f s/epoch  round %6.2f ms = snapshot %.3f + read"
                        + " %.3f + compute %.3f + hand-off %.3f + update %.3f; between rounds %.3f; %s KiB broadcast,"
                        + " %s KiB returned; final train loss %.4f%n", r.mode(), r.samplesPerSecond(),
                r.secondsPerEpoch(), 1e3 * r.roundSeconds(), 1e3 * r.broadcastSeconds(), 1e3 * r.fetchSeconds(),
                1e3 * r.computeSeconds(), 1e3 * r.sparkSeconds(), 1e3 * r.driverSeconds(), 1e3 * r.betweenSeconds(),
                r.broadcastBytes() / 1024, r.resultBytes() / 1024, r.finalTrainLoss());
        ModeThroughput.RoundSpread spread = r.roundSpread();
        out.printf(Locale.ROOT, "   %-8s rounds: median %.2f ms, p90 %.2f, p99 %.2f%n", "", 1e3 * spread.medianSeconds(),
                1e3 * spread.p90Seconds(), 1e3 * spread.p99Seconds());
        String m = r.mode();
        put(m + "_samples_per_sec", r.samplesPerSecond());
        put(m + "_sec_per_epoch", r.secondsPerEpoch());
        put(m + "_round_ms", 1e3 * r.roundSeconds());
        put(m + "_round_median_ms", 1e3 * spread.medianSeconds());
        put(m + "_round_p90_ms", 1e3 * spread.p90Seconds());
        put(m + "_round_p99_ms", 1e3 * spread.p99Seconds());
        put(m + "_broadcast_ms", 1e3 * r.broadcastSeconds());
        put(m + "_read_ms", 1e3 * r.fetchSeconds());
        put(m + "_compute_ms", 1e3 * r.computeSeconds());
        put(m + "_spark_ms", 1e3 * r.sparkSeconds());
        put(m + "_driver_ms", 1e3 * r.driverSeconds());
        put(m + "_between_ms", 1e3 * r.betweenSeconds());
        put(m + "_broadcast_bytes", r.broadcastBytes());
        put(m + "_result_bytes", r.resultBytes());
        put(m + "_warmup_epochs", r.warmupEpochs());
        memoryLine("   " + m + " resident MiB after each epoch (" + r.warmupEpochs() + " warm-up epochs before):",
                r.memoryAfterEpoch());
    }

    public void memoryRun(ModeThroughput.Result r) {
        out.printf(Locale.ROOT, "5. memory run: %d epochs in %s mode, %.0f samples/s%n", r.epochs(), r.mode(),
                r.samplesPerSecond());
        memoryLine("   resident MiB after each epoch:", r.memoryAfterEpoch());
        List<ProcessMemory> mem = r.memoryAfterEpoch();
        // From epoch 2 (the first one warms up), or epoch 1 of a one-epoch run.
        int from = Math.min(1, mem.size() - 1);
        ProcessMemory base = mem.get(from);
        ProcessMemory last = mem.get(mem.size() - 1);
        long highest = mem.subList(from, mem.size()).stream().mapToLong(ProcessMemory::residentBytes).max()
                .orElse(-1);
        out.printf(Locale.ROOT, "   growth from epoch %d to %d: resident %s MiB (at most %s above epoch %d), "
                + "outside the heap %s MiB%n", from + 1, mem.size(), change(base.residentBytes(),
                last.residentBytes()), change(base.residentBytes(), highest), from + 1,
                change(base.offHeapBytes(), last.offHeapBytes()));
        put("memory_epochs", r.epochs());
        put("memory_rss_growth_mib", (last.residentBytes() - base.residentBytes()) / 1048576.0);
        put("memory_rss_highest_growth_mib", (highest - base.residentBytes()) / 1048576.0);
        put("memory_outside_heap_growth_mib", (last.offHeapBytes() - base.offHeapBytes()) / 1048576.0);
    }

    /** after − before in MiB, which may be negative; "n/a" where a figure is not available (-1). */
    private static String change(long before, long after) {
        return before < 0 || after < 0 ? "n/a"
                : String.format(Locale.ROOT, "%+.1f", (after - before) / 1048576.0);
    }

    private void memoryLine(String title, List<ProcessMemory> mem) {
        StringBuilder line = new StringBuilder(title);
        mem.forEach(m -> line.append(' ').append(ProcessMemory.mib(m.residentBytes())));
        line.append("  (outside the heap:");
        mem.forEach(m -> line.append(' ').append(ProcessMemory.mib(m.offHeapBytes())));
        out.println(line.append(')'));
    }

    /** Every executor JVM's memory, seen from inside a task (one task per worker slot; the driver's in local mode). */
    public static List<ProcessMemory> executorMemory(JavaSparkContext sc, int tasks) {
        List<String> seen = sc.parallelize(java.util.stream.IntStream.range(0, tasks).boxed().toList(), tasks)
                .map(i -> {
                    ProcessMemory m = ProcessMemory.current();
                    return m.pid() + " " + m.residentBytes() + " " + m.peakResidentBytes() + " " + m.offHeapBytes();
                }).collect();
        Map<String, ProcessMemory> byPid = new LinkedHashMap<>();
        for (String s : seen) {
            String[] p = s.split(" ");
            byPid.putIfAbsent(p[0], new ProcessMemory(Long.parseLong(p[0]), Long.parseLong(p[1]),
                    Long.parseLong(p[2]), Long.parseLong(p[3])));
        }
        return List.copyOf(byPid.values());
    }

    public void memory(ProcessMemory driver, List<ProcessMemory> executors) {
        out.printf(Locale.ROOT, "   driver pid %d: resident %s MiB, peak %s MiB, outside the heap %s MiB%n",
                driver.pid(),
                ProcessMemory.mib(driver.residentBytes()), ProcessMemory.mib(driver.peakResidentBytes()),
                ProcessMemory.mib(driver.offHeapBytes()));
        put("driver_peak_rss_mib", driver.peakResidentBytes() / 1048576.0);
        long executorPeak = 0;
        for (ProcessMemory e : executors) {
            boolean same = e.pid() == driver.pid();
            out.printf(Locale.ROOT, "   executor pid %d%s: resident %s MiB, peak %s MiB, outside the heap %s MiB%n",
                    e.pid(), same ? " (the driver JVM: local mode)" : "", ProcessMemory.mib(e.residentBytes()),
                    ProcessMemory.mib(e.peakResidentBytes()), ProcessMemory.mib(e.offHeapBytes()));
            executorPeak = Math.max(executorPeak, e.peakResidentBytes());
        }
        put("executor_peak_rss_mib", executorPeak / 1048576.0);
    }

    /** The ratios the targets are stated in, then the machine-readable lines. */
    public void summary() {
        double gflops = kernelSamplesPerSecond * flopsPerSample / 1e9;
        put("kernel_samples_per_sec", kernelSamplesPerSecond);
        put("kernel_gflops", gflops);
        put("kernel_vs_model_roofline", gflops / modelShapeRoofline());
        put("kernel_vs_1024_roofline", gflops / roofline1024);
        out.println("4. ratios");
        for (ModeThroughput.Result r : modes) {
            out.printf(Locale.ROOT, "   %-8s / kernel = %.2f%n", r.mode(), r.samplesPerSecond() / kernelSamplesPerSecond);
            put(r.mode() + "_vs_kernel", r.samplesPerSecond() / kernelSamplesPerSecond);
        }
        out.printf(Locale.ROOT, "   kernel GFLOP/s / model-shape roofline = %.2f, / 1024^3 roofline = %.2f%n",
                gflops / modelShapeRoofline(), gflops / roofline1024);
        figures.forEach((k, v) -> out.println("BENCH " + k + "=" + v));
    }

    private void put(String key, String value) {
        figures.put(key, value);
    }

    private void put(String key, double value) {
        figures.put(key, String.format(Locale.ROOT, Math.rint(value) == value && Math.abs(value) < 1e15 ? "%.0f"
                : "%.4g", value));
    }
}
