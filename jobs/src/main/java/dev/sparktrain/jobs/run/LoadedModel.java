package dev.sparktrain.jobs.run;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.ps.ParameterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model directory read and checked by {@link ModelReader}.
 *
 * @param dir           the model directory
 * @param config        its {@code config.yaml} as a tree (the run's resolved config)
 * @param run           that config, validated
 * @param params        the flat float32 parameter vector, laid out as {@code run.model().layout()}
 * @param normalization the feature transform of training
 */
public record LoadedModel(Path dir, ConfigTree config, RunConfig run, INDArray params,
                          ModelNormalization normalization) {

    /** The parameters as a snapshot for the driver's Spark jobs (version 0: not from a live server). */
    public ParameterSnapshot snapshot() {
        return new ParameterSnapshot(0, params.toFloatVector());
    }

    /** The run directory the model was exported into ({@code RUN/model}), if it looks like one. */
    public Path runDir() {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent != null && Files.isRegularFile(parent.resolve("metrics.jsonl")) ? parent : null;
    }

    /**
     * The model's config changed by {@code edit} (on a copy), validated: e.g. another {@code data.test_path} for
     * evaluation. The model's network must stay the same.
     */
    public RunConfig withChanges(java.util.function.Consumer<ConfigTree> edit) {
        ConfigTree tree = ConfigTree.parse(dir.resolve("config.yaml").toString(), config.toYaml());
        edit.accept(tree);
        RunConfig changed = RunConfigParser.parse(tree);
        if (!changed.model().layout().equals(run.model().layout())
                || !changed.model().shapes().equals(run.model().shapes())
                || !changed.model().loss().name().equals(run.model().loss().name())) {
            throw new IllegalArgumentException("--set must not change the model's network (model.*): the saved "
                    + "parameters belong to " + dir.resolve("config.yaml"));
        }
        return changed;
    }
}
