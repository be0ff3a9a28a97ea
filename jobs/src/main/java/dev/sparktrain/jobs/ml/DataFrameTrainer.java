package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.serialization.SerializerCheck;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.DataConfig.Normalize;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.jobs.data.TaskErrors;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.run.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains on a DataFrame exactly as {@code train} does on files: the rows become one cached block per worker (every
 * row checked: size, finite features, a label the loss accepts), normalised as {@code data.normalize} says, then the
 * driver's {@link Trainer} runs the configured mode. There is no test set (Spark ML tunes with its own validation
 * splits), so early stopping can only watch {@code train_loss}. One log line per epoch.
 */
final class DataFrameTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DataFrameTrainer.class);

    private DataFrameTrainer() {
    }

    static TrainedNetwork fit(Dataset<Row> df, String featuresCol, String labelCol, ConfigTree tree, RunConfig run) {
        if (run.earlyStopping() != null && !"train_loss".equals(run.earlyStopping().monitor())) {
            throw new IllegalArgumentException("training.early_stopping.monitor " + run.earlyStopping().monitor()
                    + " needs a test set, which fit() on a DataFrame does not have; use train_loss");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        SerializerCheck.verify(sc);
        float scale = run.data().normalize() == Normalize.SCALE ? (float) run.data().scale() : 1f;
        CachedBlocks train = TrainingData.fromDataFrame(df, featuresCol, labelCol, run.training().workers(),
                LabelSpec.forModel(run.model()), scale);
        long inputs = run.model().input().size();
        if (train.featureSize() != inputs) {
            train.release();
            throw new IllegalArgumentException("column '" + featuresCol + "' has " + train.featureSize() + " values "
                    + "per row, but model.input_shape " + Arrays.toString(run.model().input().dims()) + " expects "
                    + inputs);
        }
        Standardization st = null;
        if (run.data().normalize() == Normalize.STANDARDIZE) {
            CachedBlocks raw = train;
            st = TaskErrors.surface(() -> Standardization.fit(raw));
            train = TrainingData.standardize(train, st, "train");
        }
        try {
            List<TrainingListener> listeners = new ArrayList<>(List.of(new EpochLog(run.name())));
            FitTracking tracking = run.mlflow() == null ? null : FitTracking.start(run, tree, sc.master());
            if (tracking != null) {
                listeners.add(tracking.listener());
            }
            Trainer trainer = Trainer.builder(sc, run.model(), run.optimizer(), run.training()).listeners(listeners)
                    .stopEarly(run.earlyStopping()).build();
            INDArray params;
            try {
                trainer.fit(train, null);
                params = trainer.bestParams().orElseGet(trainer.server()::params);
            } catch (RuntimeException | Error e) {
                if (tracking != null) {
                    tracking.failed();
                }
                throw e;
            }
            ModelNormalization normalization = ModelNormalization.of(run.data(), train.featureSize(), st);
            if (tracking != null) {
                tracking.finished(params, normalization);
            }
            return new TrainedNetwork(tree.toYaml(), run, params.toFloatVector(), normalization);
        } finally {
            train.release();
        }
    }

    /** Spark ML estimators report through the log, not stdout. */
    private record EpochLog(String name) implements TrainingListener {
        @Override
        public void onEpoch(EpochMetrics m) {
            LOG.info(String.format(Locale.ROOT, "%s: epoch %d/%d train_loss %.4f, %.1f s, %.0f samples/s", name,
                    m.epoch(), m.epochs(), m.trainLoss(), m.trainSeconds(), m.samplesPerSecond()));
        }
    }
}
