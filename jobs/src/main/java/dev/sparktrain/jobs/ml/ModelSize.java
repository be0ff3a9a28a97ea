package dev.sparktrain.jobs.ml;

import dev.sparktrain.jobs.config.RunConfig;

/**
 * The memory a fitted model holds, known from its config before training: Spark Connect asks an estimator for it
 * before {@code fit} ({@code Estimator.estimateModelSize}) and a model when it caches it ({@code Model.estimatedSize}),
 * and refuses a model above {@code spark.connect.session.connectML.mlCache.memoryControl.maxModelSize}.
 */
final class ModelSize {

    private ModelSize() {
    }

    /** Four bytes per float32 parameter, two per config character, and mean and std per feature if standardized. */
    static long bytes(RunConfig run, String configYaml) {
        long parameters = run.model().layout().totalLength();
        long features = run.model().input().size();
        return 4L * parameters + 2L * configYaml.length() + 8L * features;
    }
}
