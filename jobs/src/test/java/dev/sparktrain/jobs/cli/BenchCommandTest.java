package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.bench.ModelFlops;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Flatten;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs every part on a tiny config and reports each figure; its FLOP counts follow the shapes. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void denseAndConvolutionWorkIsCountedFromTheShapes() {
        NetworkSpec mlp = new NetworkSpec(new Shape(784), List.of(new Dense(256, new Relu()),
                new Dense(128, new Relu()), new Dense(10, new Identity())), new SoftmaxCrossEntropy());
        assertEquals(List.of("64x784x256", "64x256x128", "64x128x10"),
                ModelFlops.forwardGemms(mlp, 64).stream().map(Object::toString).toList());
        assertEquals(3 * 2.0 * (784 * 256 + 256 * 128 + 128 * 10), ModelFlops.trainingFlopsPerSample(mlp));

        // 5x5 'valid' conv of 1x28x28 into 20 maps of 24x24: per sample a [576 x 25]·[25 x 20] product.
        NetworkSpec cnn = new NetworkSpec(new Shape(1, 28, 28), List.of(Conv2d.of(20, 5, Padding.VALID, new Relu()), new Flatten(),
                new Dense(10, new Identity())), new SoftmaxCrossEntropy());
        assertEquals(List.of("576x25x20", "1x11520x10"),
                ModelFlops.forwardGemms(cnn, 1).stream().map(Object::toString).toList());
    }

    @Test
    void everyPartReportsItsFigures() throws Exception {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        CliFixture.Outcome run = CliFixture.run("bench", config.toString(), "--epochs", "2", "--seconds", "0.4",
                "--kernel-rows", "256", "--memory-epochs", "3", "--set", "training.transport=channel");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Double> bench = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^BENCH (\\S+)=(\\S+)$").matcher(run.out());
        while (m.find()) {
            if (m.group(1).equals("transport")) {
                // Local mode: the channel's workers run in the driver's JVM.
                assertEquals("channel_in_memory", m.group(2));
            } else {
                bench.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        for (String key : List.of("gemm_gflops_16x16x12", "gemm_gflops_1024x1024x1024", "gemm_gflops_model_shapes",
                "kernel_samples_per_sec", "kernel_first_samples_per_sec", "kernel_second_samples_per_sec",
                "kernel_gflops", "sync_samples_per_sec", "average_samples_per_sec",
                "outer_samples_per_sec", "sync_compute_ms", "average_round_ms", "sync_round_median_ms",
                "outer_round_p99_ms", "sync_vs_kernel",
                "sync_warmup_epochs", "average_warmup_epochs", "outer_warmup_epochs",
                "driver_peak_rss_mib", "executor_peak_rss_mib")) {
            assertTrue(bench.containsKey(key), "missing BENCH " + key + " in\n" + run.out());
            assertTrue(bench.get(key) > 0 && Double.isFinite(bench.get(key)), key + " = " + bench.get(key));
        }
        assertTrue(bench.get("sync_round_median_ms") <= bench.get("sync_round_p90_ms")
                && bench.get("sync_round_p90_ms") <= bench.get("sync_round_p99_ms"), run.out());
        // 16 inputs, 12 hidden, 3 classes: (16·12 + 12·3) parameters and biases, one float vector each way.
        assertEquals(4 * (16 * 12 + 12 + 12 * 3 + 3), bench.get("sync_broadcast_bytes"));
        assertEquals(3, bench.get("memory_epochs"));
        assertTrue(bench.containsKey("memory_rss_growth_mib"), run.out());
        // The highest resident figure after epoch 2 is at least the last one.
        assertTrue(bench.get("memory_rss_highest_growth_mib") >= bench.get("memory_rss_growth_mib"), run.out());
        assertTrue(run.out().contains("4. ratios"), run.out());
    }
}
