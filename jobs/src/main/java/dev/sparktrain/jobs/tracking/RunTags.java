package dev.sparktrain.jobs.tracking;

import dev.sparktrain.driver.TrainingConfig;
import java.util.LinkedHashMap;
import dev.sparktrain.jobs.run.SparktrainVersion;
import java.util.Map;

/**
 * The tags a sparktrain run carries in MLflow: {@code sparktrain.mode}, {@code .workers}, {@code .transport},
 * {@code .spark_master}, {@code .version}, and MLflow's own {@code mlflow.user} and {@code mlflow.source.*}.
 */
public final class RunTags {

    private RunTags() {
    }

    public static Map<String, String> of(TrainingConfig training, String sparkMaster, String source) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("sparktrain.mode", training.mode().configName());
        tags.put("sparktrain.workers", Integer.toString(training.workers()));
        tags.put("sparktrain.transport", training.transport().configName());
        tags.put("sparktrain.spark_master", sparkMaster);
        tags.put("sparktrain.version", SparktrainVersion.get());
        tags.put("mlflow.user", System.getProperty("user.name", ""));
        tags.put("mlflow.source.name", source);
        tags.put("mlflow.source.type", "JOB");
        return tags;
    }
}
