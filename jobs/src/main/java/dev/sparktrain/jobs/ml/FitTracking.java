package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.run.AtomicFiles;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.run.ModelWriter;
import dev.sparktrain.jobs.run.RunDirectory;
import dev.sparktrain.jobs.tracking.MlflowRun;
import dev.sparktrain.jobs.tracking.RunArtifacts;
import dev.sparktrain.jobs.tracking.RunTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow logging of a Spark ML {@code fit}: params, tags and metrics as for {@code train}, and as artifacts the
 * resolved {@code config.yaml} and the fitted model's directory (written to a temporary directory for the upload,
 * removed afterwards). There is no run directory, so there is nothing to resume; messages go to the log.
 */
final class FitTracking {

    private static final Logger LOG = LoggerFactory.getLogger(FitTracking.class);

    private final RunConfig run;
    private final ConfigTree tree;
    private final MlflowRun mlflow;

    private FitTracking(RunConfig run, ConfigTree tree, MlflowRun mlflow) {
        this.run = run;
        this.tree = tree;
        this.mlflow = mlflow;
    }

    static FitTracking start(RunConfig run, ConfigTree tree, String sparkMaster) {
        MlflowRun mlflow = MlflowRun.start(run.mlflow(), new MlflowRun.Context(run.name(), run.name(),
                MlflowRun.configParams(tree.root()), RunTags.of(run.training(), sparkMaster, "sparktrain Spark ML fit"),
                null, false), new MlflowRun.Sink() {
                    @Override
                    public void info(String line) {
                        LOG.info(line);
                    }

                    @Override
                    public void warn(String line) {
                        LOG.warn(line);
                    }
                });
        return new FitTracking(run, tree, mlflow);
    }

    TrainingListener listener() {
        return mlflow;
    }

    void finished(INDArray params, ModelNormalization normalization) {
        Path dir;
        try {
            dir = Files.createTempDirectory("sparktrain-fit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the MLflow artifacts", e);
        }
        try {
            AtomicFiles.writeString(dir.resolve("config.yaml"), tree.toYaml());
            Map<String, Path> artifacts = new LinkedHashMap<>();
            artifacts.put("config.yaml", dir.resolve("config.yaml"));
            if (run.mlflow().logModel()) {
                ModelWriter.write(dir.resolve("model"), tree.toYaml(), run.model(), params, normalization);
                artifacts.putAll(RunArtifacts.directory("model", dir.resolve("model")));
            }
            mlflow.finish("FINISHED", artifacts);
        } finally {
            RunDirectory.deleteRecursively(dir);
        }
    }

    void failed() {
        mlflow.finish("FAILED", Map.of());
    }
}
