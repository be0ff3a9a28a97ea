package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.ops.network.NetworkSpec;

/**
 * What a fitted Spark ML model holds: the resolved config (saved as the model's {@code config.yaml}), the network
 * it describes, the trained parameters and the feature transform of training. The same content as a CLI model
 * directory, so either can be turned into the other.
 *
 * @param configYaml    the resolved config
 * @param run           that config, validated
 * @param params        the flat float32 parameter vector, laid out as {@code run.model().layout()}
 * @param normalization the feature transform of training
 */
record TrainedNetwork(String configYaml, RunConfig run, float[] params, ModelNormalization normalization) {

    TrainedNetwork {
        long expected = run.model().layout().totalLength();
        if (params.length != expected) {
            throw new IllegalArgumentException("the network has " + expected + " parameters, got " + params.length);
        }
    }

    static TrainedNetwork of(LoadedModel model) {
        return new TrainedNetwork(model.config().toYaml(), model.run(), model.params().toFloatVector(),
                model.normalization());
    }

    NetworkSpec spec() {
        return run.model();
    }

    TaskKind kind() {
        return TaskKind.of(run.model());
    }

    /** Values per input row: the product of {@code model.input_shape}. */
    int featureSize() {
        return Math.toIntExact(run.model().input().size());
    }

    /** Network outputs per row. */
    int outputSize() {
        return Math.toIntExact(run.model().outputShape().size());
    }
}
