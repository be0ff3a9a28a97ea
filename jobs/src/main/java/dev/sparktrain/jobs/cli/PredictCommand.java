package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.run.DataPreflight;
import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelData;
import dev.sparktrain.jobs.run.ModelReader;
import dev.sparktrain.jobs.run.PredictionWriter;
import dev.sparktrain.jobs.run.Predictions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code predict MODEL [--data PATH ...] --out FILE [--overwrite]}: a saved model's predictions, one row per input
 * row in input order, written to a CSV or Parquet file (by extension) through a temporary file and a rename. An
 * existing file is refused unless {@code --overwrite}, which replaces a file, never a directory or the input data.
 * Labels are optional: a CSV without the label column or IDX images without {@code --labels} are scored too; when
 * the data has labels they are copied to the output so predictions can be compared with them.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write a saved model's predictions for a data set to a CSV or Parquet file.")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory (RUN/model) or run directory")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: NAME.csv or NAME.parquet")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing output file")
    boolean overwrite;

    @Mixin
    ModelDataOptions dataOptions = new ModelDataOptions().labelsOptional();

    @Override
    public Integer call() {
        PrintStream stdout = System.out;
        PredictionWriter.checkTarget(out, overwrite, java.util.List.of());
        LoadedModel loaded = ModelReader.read(model);
        RunConfig run = loaded.withChanges(dataOptions::applyTo);
        PredictionWriter.checkTarget(out, overwrite, inputs(run));
        ModelData.requireData(run);
        DataPreflight.checkTest(run);
        try (JavaSparkContext sc = SparkSessions.start(run, stdout)) {
            CachedBlocks data = ModelData.read(sc, run, loaded.normalization(), true, dataOptions.unlabeledImages());
            boolean labeled = !data.rdd().map(b -> b.rows() > 0 && Float.isNaN(b.labels()[0])).fold(false,
                    Boolean::logicalOr);
            SparkSessions.inputsAccepted();
            try (Predictions predictions = new Predictions(sc, data, run.model(), loaded.snapshot(),
                    run.training().evalBatchSize())) {
                PredictionWriter.checkTarget(out, overwrite, inputs(run));
                long rows = PredictionWriter.write(out, overwrite, predictions, predictions.rdd().toLocalIterator(),
                        labeled);
                stdout.println("predict " + run.name() + " (" + loaded.dir() + "): " + rows + " rows -> " + out);
                stdout.println("PREDICT model=" + run.name() + " rows=" + rows + " out=" + out);
            } finally {
                data.release();
            }
        }
        return 0;
    }

    private static java.util.List<String> inputs(RunConfig run) {
        return run.data().hasTest() ? run.data().testPaths() : java.util.List.of();
    }
}
