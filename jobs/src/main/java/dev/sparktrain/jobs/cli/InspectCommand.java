package dev.sparktrain.jobs.cli;

import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.report.MetricRow;
import dev.sparktrain.jobs.report.MetricsLog;
import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelReader;
import dev.sparktrain.ops.norms.Norm;
import dev.sparktrain.ops.params.ParamSpec;
import dev.sparktrain.ps.optim.Optimizers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect CONFIG|MODEL}: what a config describes or a saved model holds, without Spark: layers, output
 * shapes and parameter counts, loss, optimizer (with its defaults filled in), training mode and data; for a model
 * also its files, the norm of every tensor, the normalisation and, when it sits in a run directory, the training
 * metadata of {@code metrics.jsonl} (epochs and the last epoch's metrics).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a training config or a saved model.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG|MODEL", description = "YAML config, model directory or run directory")
    Path path;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (configs only)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (ModelReader.isModelPath(path)) {
            if (!overrides.isEmpty()) {
                throw new IllegalArgumentException("--set applies to configs, not to a saved model");
            }
            LoadedModel model = ModelReader.read(path);
            out.println("model " + model.dir());
            describe(out, model.run());
            model(out, model);
        } else {
            RunConfig run = GradcheckCommand.load(path, overrides);
            out.println("config " + path);
            describe(out, run);
        }
        return 0;
    }

    private static void describe(PrintStream out, RunConfig run) {
        var t = run.training();
        out.println("name: " + run.name());
        out.println("input: " + Arrays.toString(run.model().input().dims()) + ", loss " + run.model().loss().name()
                + ", regularization " + ModelDescription.regularization(run.model().regularization()));
        out.print(ModelDescription.layers(run.model()));
        out.println("optimizer: " + ModelDescription.options(
                Optimizers.create("optimizer", section(run, "optimizer")).resolved()));
        out.println("training: mode " + t.mode().configName() + ", " + t.workers() + " workers x "
                + t.batchSizePerWorker() + " rows per batch (global " + t.workers() * t.batchSizePerWorker() + "), "
                + t.epochs() + " epochs, seed " + t.seed()
                + (t.mode().configName().equals("sync") ? "" : ", local steps " + t.localSteps() + ", inner state "
                + t.innerState().configName()));
        if (run.earlyStopping() != null) {
            out.println("early stopping: " + run.earlyStopping());
        }
        var d = run.data();
        out.println("data: " + d.format() + ", train " + String.join(" + ", d.trainPaths())
                + (d.hasTest() ? ", test " + String.join(" + ", d.testPaths()) : ", no test set")
                + ", normalize " + d.normalize().configName());
    }

    private static void model(PrintStream out, LoadedModel model) {
        out.printf(Locale.ROOT, "files: params.npy (%d float32 values, %d bytes), layout.json (%d tensors), "
                        + "normalization.json (%s)%n", model.params().length(), size(model.dir().resolve("params.npy")),
                model.run().model().layout().specs().size(), model.normalization());
        out.printf("%-24s %-18s %12s%n", "tensor", "shape", "L2 norm");
        for (ParamSpec p : model.run().model().layout().specs()) {
            out.printf(Locale.ROOT, "%-24s %-18s %12.4f%s%n", p.name(), Arrays.toString(p.shape()),
                    Norm.L2.of(model.run().model().layout().view(model.params(), p.name())),
                    p.trainable() ? "" : "  (not trained)");
        }
        Path runDir = model.runDir();
        if (runDir == null) {
            out.println("training: no metrics.jsonl next to the model (not inside a run directory)");
            return;
        }
        List<MetricRow> epochs = MetricsLog.read(runDir.resolve("metrics.jsonl")).epochs();
        if (epochs.isEmpty()) {
            out.println("training: " + runDir + " has no finished epoch in metrics.jsonl");
            return;
        }
        MetricRow last = epochs.get(epochs.size() - 1);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : last.values().entrySet()) {
            double v = e.getValue();
            if (!Double.isNaN(v)) {
                // Counts (epoch, rounds, samples) as integers; measurements to 6 significant digits.
                sb.append(' ').append(e.getKey()).append('=').append(v == Math.rint(v) && Math.abs(v) < 1e15
                        ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v).replaceFirst("0+$", ""));
            }
        }
        out.println("training: run " + runDir + ", " + epochs.size() + " epochs logged; last epoch:" + sb);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(RunConfig run, String key) {
        return (Map<String, Object>) run.resolved().root().get(key);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
