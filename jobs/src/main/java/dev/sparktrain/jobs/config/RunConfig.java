package dev.sparktrain.jobs.config;

import dev.sparktrain.driver.stopping.EarlyStopping;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Optimizer;

/**
 * A whole training run, validated: the records every module needs, and the resolved tree they came from (saved
 * with the run so it can be reproduced).
 *
 * @param earlyStopping {@code training.early_stopping}, or null
 * @param sparkMaster {@code spark.master}, or null to use what spark-submit set or {@code local[workers]}
 * @param mlflow {@code tracking.mlflow}, or null when the run is not logged to MLflow
 */
public record RunConfig(String name, DataConfig data, NetworkSpec model, Optimizer optimizer,
                        TrainingConfig training, EarlyStopping earlyStopping, CheckpointPolicy checkpoint,
                        String sparkMaster, MlflowConfig mlflow, ConfigTree resolved) {
}
