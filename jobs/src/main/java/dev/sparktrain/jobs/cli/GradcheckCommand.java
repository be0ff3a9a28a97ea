package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.run.TrainingSample;
import dev.sparktrain.ops.debug.GradientCheck;
import dev.sparktrain.ops.debug.GradientCheck.TensorReport;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.NetworkSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gradcheck CONFIG}: the configured network's analytic gradient against centred differences, in double
 * precision, at its initial parameters ({@code training.seed}) on the first rows of the training data. One line per
 * trainable tensor with its worst relative error, a warning per non-smooth activation, and
 * {@code GRADCHECK model=.. tensors=N failed=F worst=..}; exit code 1 if a tensor exceeds {@code --threshold}.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check the configured network's gradients against finite differences on real samples.")
final class GradcheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML training config")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "N", description = "Rows of training data (default: ${DEFAULT-VALUE})")
    int samples = 4;

    @Option(names = "--per-tensor", paramLabel = "N",
            description = "Elements checked per tensor, evenly spread (default: ${DEFAULT-VALUE})")
    int perTensor = 20;

    @Option(names = "--threshold", paramLabel = "E",
            description = "Largest relative error that passes (default: ${DEFAULT-VALUE})")
    double threshold = 1e-5;

    @Option(names = "--step", paramLabel = "H", description = "Finite-difference step (default: ${DEFAULT-VALUE})")
    double step = 1e-6;

    @Option(names = "--training-pass",
            description = "Check a training forward pass (batch statistics, a fixed dropout mask) instead of inference")
    boolean trainingPass;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (samples < 1 || perTensor < 1 || !(threshold > 0)) {
            throw new IllegalArgumentException("--samples and --per-tensor must be >= 1 and --threshold > 0, got "
                    + samples + ", " + perTensor + ", " + threshold);
        }
        GradientCheck check = new GradientCheck(step, 1e-8);
        RunConfig run = load(config, overrides);
        NetworkSpec spec = run.model();
        try (JavaSparkContext sc = SparkSessions.start(run, out)) {
            Batch batch = TrainingSample.first(sc, run, samples);
            SparkSessions.inputsAccepted();
            out.printf(Locale.ROOT, "gradcheck %s: %d samples of the training data, double precision, step %.0e, "
                    + "threshold %.0e, %s pass%n", run.name(), batch.rows(), step, threshold,
                    trainingPass ? "training" : "inference");
            for (String warning : GradientCheck.warnings(spec)) {
                out.println("warning: " + warning);
            }
            ForwardContext context = trainingPass ? ForwardContext.training(run.training().seed())
                    : ForwardContext.INFERENCE;
            List<TensorReport> reports = check.check(spec, spec.initialParameters(run.training().seed(),
                    DataType.DOUBLE), batch.features(), batch.labels(), perTensor, context);
            out.printf("%-24s %10s %8s %14s  %s%n", "tensor", "elements", "checked", "max rel error", "verdict");
            int failed = 0;
            for (TensorReport r : reports) {
                boolean ok = r.maxRelativeError() <= threshold;
                failed += ok ? 0 : 1;
                long stride = Math.max(1, r.elements() / perTensor);
                out.printf(Locale.ROOT, "%-24s %10d %8d %14.3e  %s%n", r.name(), r.elements(),
                        (r.elements() + stride - 1) / stride, r.maxRelativeError(),
                        ok ? "PASS" : "FAIL (worst at element " + r.worstIndex() + ")");
            }
            out.printf(Locale.ROOT, "GRADCHECK model=%s tensors=%d failed=%d worst=%.3e%n", run.name(), reports.size(),
                    failed, GradientCheck.worst(reports));
            return failed == 0 ? 0 : SparkTrain.EXIT_FAILURE;
        }
    }

    /** A config file with {@code --set} overrides, validated. */
    static RunConfig load(Path config, List<String> overrides) {
        ConfigTree tree = ConfigTree.read(config);
        overrides.forEach(tree::set);
        return RunConfigParser.parse(tree);
    }
}
