package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.eval.ClassMetrics;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.run.DataPreflight;
import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelData;
import dev.sparktrain.jobs.run.ModelReader;
import dev.sparktrain.jobs.run.Predictions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code evaluate MODEL [--data PATH [--labels PATH]] [--top-k K] [--set ...]}: a saved classifier on labelled data
 * (by default its config's test set), with the training normalisation. Prints loss, accuracy, top-k accuracy,
 * per-class precision/recall/F1, the confusion matrix and a machine-readable line
 * {@code EVAL model=.. rows=N loss=.. accuracy=.. top_k=K top_k_accuracy=.. macro_f1=..}. Writes nothing.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on labelled data (default: its config's test data).")
final class EvaluateCommand implements Callable<Integer> {

    /** Classes up to which the confusion matrix is printed. */
    static final int MAX_PRINTED_CLASSES = 40;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory (RUN/model) or run directory")
    Path model;

    @Option(names = "--top-k", paramLabel = "K", description = "k of the top-k accuracy (default: min(5, classes))")
    Integer topK;

    @Mixin
    ModelDataOptions dataOptions = new ModelDataOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        LoadedModel loaded = ModelReader.read(model);
        RunConfig run = loaded.withChanges(dataOptions::applyTo);
        TaskKind kind = TaskKind.of(run.model());
        if (kind == TaskKind.REGRESSION) {
            throw new IllegalArgumentException("evaluate needs a classifier (a multi-class loss such as "
                    + "softmax_cross_entropy, or a binary one with 1 output), the model's loss is "
                    + run.model().loss().name() + " with " + run.model().outputShape().size()
                    + " output(s); use predict for regression");
        }
        int classes = kind.classes(run.model());
        int k = topK == null ? Math.min(5, classes) : topK;
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException("--top-k must be in [1, " + classes + "] (the class count), got " + k);
        }
        ModelData.requireData(run);
        DataPreflight.checkTest(run);
        try (JavaSparkContext sc = SparkSessions.start(run, out)) {
            CachedBlocks data = ModelData.read(sc, run, loaded.normalization());
            SparkSessions.inputsAccepted();
            try (Predictions predictions = new Predictions(sc, data, run.model(), loaded.snapshot(),
                    run.training().evalBatchSize())) {
                EvaluationSum sum = Evaluator.evaluate(sc, data, run.model(), loaded.snapshot(),
                        run.training().evalBatchSize());
                double topKAccuracy = (double) predictions.topKHits(k) / sum.count();
                print(out, loaded, run, sum, k, topKAccuracy);
            } finally {
                data.release();
            }
        }
        return 0;
    }

    private static void print(PrintStream out, LoadedModel loaded, RunConfig run, EvaluationSum sum, int k,
                              double topKAccuracy) {
        ClassMetrics metrics = sum.classMetrics();
        out.println("evaluate " + run.name() + " (" + loaded.dir() + ") on " + sum.count() + " rows of "
                + String.join(" + ", run.data().testPaths()) + ", normalization " + loaded.normalization());
        out.printf(Locale.ROOT, "loss %.4f  accuracy %.4f  top-%d accuracy %.4f%n", sum.meanLoss(), sum.accuracy(), k,
                topKAccuracy);
        out.print(metrics.table());
        if (metrics.classes() <= MAX_PRINTED_CLASSES) {
            out.println("confusion matrix (rows actual, columns predicted):");
            out.print(metrics.confusionTable());
        } else {
            out.println("confusion matrix: " + metrics.classes() + " classes, not printed");
        }
        out.printf(Locale.ROOT, "EVAL model=%s rows=%d loss=%.6f accuracy=%.6f top_k=%d top_k_accuracy=%.6f"
                        + " macro_f1=%.6f%n", run.name(), sum.count(), sum.meanLoss(), sum.accuracy(), k, topKAccuracy,
                metrics.macroF1());
    }
}
