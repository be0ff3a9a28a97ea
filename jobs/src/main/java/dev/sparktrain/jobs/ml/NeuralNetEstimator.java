package dev.sparktrain.jobs.ml;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.ops.network.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * What the two estimators share: the column params, the sparktrain configuration (the CLI's YAML, {@link #config()})
 * with typed params that override it, and fitting through {@link DataFrameTrainer}.
 *
 * <p>Why not Spark's {@code Predictor}: its Scala traits create their params in the superclass constructor, which
 * reads {@code uid()} before a Java subclass has set it; extending {@link Estimator} directly keeps the params owned
 * by the right uid, so copying, pipelines and persistence work.
 *
 * @param <E> the concrete estimator (setters return it)
 * @param <M> the model it fits
 */
public abstract class NeuralNetEstimator<E extends NeuralNetEstimator<E, M>, M extends NeuralNetModel<M>>
        extends Estimator<M> implements MLWritable {

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> config;
    private final StringArrayParam overrides;
    private final IntParam epochs;
    private final Param<String> mode;
    private final LongParam seed;
    private final IntParam workers;
    private final IntParam batchSizePerWorker;
    private final DoubleParam learningRate;
    private final IntParam cropPadding;
    private final BooleanParam horizontalFlip;
    private final Param<String> mlflowUri;
    private final Param<String> mlflowExperiment;
    private final Param<String> mlflowRunName;

    protected NeuralNetEstimator(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: a Spark ML vector or array<float|double>");
        labelCol = new Param<>(this, "labelCol", "label column (numeric)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        config = new Param<>(this, "config", "the sparktrain training config as YAML text (model, optimizer, "
                + "training sections; of data only normalize, scale and augment are used)");
        overrides = new StringArrayParam(this, "overrides", "config overrides path=value, as the CLI's --set");
        epochs = new IntParam(this, "epochs", "overrides training.epochs");
        mode = new Param<>(this, "mode", "overrides training.mode: sync, average or outer");
        seed = new LongParam(this, "seed", "overrides training.seed");
        workers = new IntParam(this, "workers", "overrides training.workers (data partitions, one task each)");
        batchSizePerWorker = new IntParam(this, "batchSizePerWorker", "overrides training.batch_size_per_worker");
        learningRate = new DoubleParam(this, "learningRate", "overrides optimizer.lr");
        cropPadding = new IntParam(this, "cropPadding", "overrides data.augment.random_crop.padding: pad training "
                + "images by this many zero pixels, then crop back at a random offset");
        horizontalFlip = new BooleanParam(this, "horizontalFlip", "overrides data.augment.horizontal_flip: mirror "
                + "training images left to right with probability 1/2");
        mlflowUri = new Param<>(this, "mlflowUri", "log fit to MLflow: a tracking server (http://host:5000) or a file"
                + " store (file:/path/mlruns); overrides tracking.mlflow.uri");
        mlflowExperiment = new Param<>(this, "mlflowExperiment", "overrides tracking.mlflow.experiment");
        mlflowRunName = new Param<>(this, "mlflowRunName", "overrides tracking.mlflow.run_name");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(overrides, new String[0]);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> config() {
        return config;
    }

    public StringArrayParam overrides() {
        return overrides;
    }

    public IntParam epochs() {
        return epochs;
    }

    public Param<String> mode() {
        return mode;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam workers() {
        return workers;
    }

    public IntParam batchSizePerWorker() {
        return batchSizePerWorker;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public IntParam cropPadding() {
        return cropPadding;
    }

    public BooleanParam horizontalFlip() {
        return horizontalFlip;
    }

    public Param<String> mlflowUri() {
        return mlflowUri;
    }

    public Param<String> mlflowExperiment() {
        return mlflowExperiment;
    }

    public Param<String> mlflowRunName() {
        return mlflowRunName;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public E setFeaturesCol(String value) {
        return with(featuresCol, value);
    }

    public E setLabelCol(String value) {
        return with(labelCol, value);
    }

    public E setPredictionCol(String value) {
        return with(predictionCol, value);
    }

    /** The sparktrain YAML config as text, e.g. the contents of {@code conf/examples/fashion-mlp.yaml}. */
    public E setConfig(String yaml) {
        return with(config, yaml);
    }

    /** Reads the YAML config from a local file on the driver; the text is what is kept and saved. */
    public E setConfigFile(String path) {
        try {
            return setConfig(Files.readString(Path.of(path)));
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read config file: " + e.getMessage(), e);
        }
    }

    /** Overrides of any config field, {@code path=value} as {@code --set} takes them. */
    public E setOverrides(String... assignments) {
        return with(overrides, assignments);
    }

    public E setEpochs(int value) {
        return with(epochs, value);
    }

    public E setMode(String value) {
        return with(mode, value);
    }

    public E setSeed(long value) {
        return with(seed, value);
    }

    public E setWorkers(int value) {
        return with(workers, value);
    }

    public E setBatchSizePerWorker(int value) {
        return with(batchSizePerWorker, value);
    }

    public E setLearningRate(double value) {
        return with(learningRate, value);
    }

    /** Training-time random crop of images ({@code data.augment.random_crop.padding}: 1 to half the smaller side). */
    public E setCropPadding(int value) {
        return with(cropPadding, value);
    }

    /** Training-time horizontal flip of half the images ({@code data.augment.horizontal_flip}). */
    public E setHorizontalFlip(boolean value) {
        return with(horizontalFlip, value);
    }

    /** Logs {@code fit} to MLflow at {@code uri} (as {@code tracking.mlflow.uri}); see the README's MLflow section. */
    public E setMlflowUri(String uri) {
        return with(mlflowUri, uri);
    }

    public E setMlflowExperiment(String name) {
        return with(mlflowExperiment, name);
    }

    public E setMlflowRunName(String name) {
        return with(mlflowRunName, name);
    }

    /** The config as {@link #fit} will use it: the YAML, then {@code overrides}, then the typed params. */
    public RunConfig resolvedConfig() {
        return DataFrameConfig.parse(resolvedTree());
    }

    private ConfigTree resolvedTree() {
        List<String> assignments = new ArrayList<>(Arrays.asList(getOrDefault(overrides)));
        addIfSet(assignments, epochs, "training.epochs");
        addIfSet(assignments, mode, "training.mode");
        addIfSet(assignments, seed, "training.seed");
        addIfSet(assignments, workers, "training.workers");
        addIfSet(assignments, batchSizePerWorker, "training.batch_size_per_worker");
        addIfSet(assignments, learningRate, "optimizer.lr");
        addIfSet(assignments, cropPadding, "data.augment.random_crop.padding");
        addIfSet(assignments, horizontalFlip, "data.augment.horizontal_flip");
        addTextIfSet(assignments, mlflowUri, "tracking.mlflow.uri");
        addTextIfSet(assignments, mlflowExperiment, "tracking.mlflow.experiment");
        addTextIfSet(assignments, mlflowRunName, "tracking.mlflow.run_name");
        return DataFrameConfig.resolve(isDefined(config) ? getOrDefault(config) : null, assignments);
    }

    private void addIfSet(List<String> assignments, Param<?> param, String path) {
        if (isSet(param)) {
            assignments.add(path + "=" + getOrDefault(param));
        }
    }

    /** A string value, quoted so that YAML keeps it a string ("yes", "1.0"). */
    private void addTextIfSet(List<String> assignments, Param<String> param, String path) {
        if (isSet(param)) {
            assignments.add(path + "='" + getOrDefault(param).replace("'", "''") + "'");
        }
    }

    /**
     * Trains on {@code dataset} (on its Spark session, which must use the trainer's Kryo settings:
     * {@code SparktrainSparkConf.applyDefaults}) and returns the fitted model with this estimator's columns.
     */
    @Override
    public M fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        ConfigTree tree = resolvedTree();
        RunConfig run = DataFrameConfig.parse(tree);
        checkTask(run.model());
        TrainedNetwork network = DataFrameTrainer.fit(dataset.toDF(), getFeaturesCol(), getLabelCol(), tree, run);
        M model = copyValues(newModel(uid, network), ParamMap.empty());
        return model.setParent(this);
    }

    /**
     * The size of the model {@link #fit} would return, from the config alone ({@link ModelSize}); Spark Connect
     * checks it against its model cache's limits before training starts.
     */
    @Override
    public long estimateModelSize(Dataset<?> dataset) {
        ConfigTree tree = resolvedTree();
        return ModelSize.bytes(DataFrameConfig.parse(tree), tree.toYaml());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        MlSchemas.checkFeatures(schema, getFeaturesCol());
        MlSchemas.checkLabel(schema, getLabelCol());
        return MlSchemas.append(schema, outputColumns());
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** Throws if the configured network does not suit this estimator (a classifier's loss, a regressor's output). */
    protected abstract void checkTask(NetworkSpec spec);

    protected abstract M newModel(String uid, TrainedNetwork network);

    /** The columns the model appends, by name (empty names are left out). */
    protected abstract Map<String, OutputColumn> outputColumns();

    @SuppressWarnings("unchecked")
    private E with(Param<?> param, Object value) {
        set((Param<Object>) param, value);
        return (E) this;
    }
}
