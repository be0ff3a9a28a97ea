package dev.sparktrain.jobs.bench;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: the bench's op profile ({@link OpProfile}, thread CPU time per op) of a config's model on random rows,
 * without Spark, the roofline or the kernel, so that two builds can be compared op by op in alternating runs
 * (docs/performance.md, issue #22). Run from the jobs test classpath with {@code bin/blas-env} sourced:
 * {@code java -cp ... dev.sparktrain.jobs.bench.OpProfileBenchmark CONFIG [SECONDS]}. Prints each op's CPU
 * milliseconds per step, then one {@code RESULT} line (the step's milliseconds and each op's).
 */
public final class OpProfileBenchmark {

    private static final int ROWS = 1024;

    private OpProfileBenchmark() {
    }

    public static void main(String[] args) {
        Path config = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        RunConfig run = RunConfigParser.parse(ConfigTree.read(config));
        int features = Math.toIntExact(run.model().input().size());
        Random random = new Random(7);
        float[] x = new float[ROWS * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = random.nextInt(10);
        }
        DataBlock rows = new DataBlock(ROWS, features, x, labels);
        int batch = run.training().batchSizePerWorker();
        OpProfile.Result result = OpProfile.measure(run.model(), run.optimizer(), rows, batch, run.training().seed(),
                seconds / 4, seconds);
        double total = 0;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Long> op : result.selfNanos().entrySet()) {
            double ms = op.getValue() / 1e6 / result.steps();
            total += ms;
            System.out.printf(Locale.ROOT, "  %-26s %8.3f ms%n", op.getKey(), ms);
            line.append(String.format(Locale.ROOT, " %s=%.3f", op.getKey().replace(' ', '_'), ms));
        }
        System.out.printf(Locale.ROOT, "RESULT steps=%d step_ms=%.3f%s%n", result.steps(), total, line);
    }
}
