package dev.sparktrain.jobs.ml;

import dev.sparktrain.jobs.onnx.OnnxExporter;
import dev.sparktrain.jobs.onnx.OnnxFile;
import dev.sparktrain.jobs.run.ModelReader;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ps.ParameterSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the two fitted models share: the trained network ({@link TrainedNetwork}), batched transforms on
 * DataFrames ({@link RowPredictor}: one forward pass per batch of rows, parameters broadcast once per transform) and
 * persistence: Spark ML's metadata plus a sparktrain model directory ({@code PATH/model}: config.yaml, params.npy,
 * layout.json, normalization.json), which the CLI's {@code inspect}, {@code evaluate} and {@code predict} read too.
 *
 * @param <M> the concrete model
 */
public abstract class NeuralNetModel<M extends NeuralNetModel<M>> extends Model<M> implements MLWritable {

    private final String uid;
    private final TrainedNetwork network;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private transient Network local;

    /**
     * A model of {@code network}; {@code null} only for the no-argument constructors of the concrete models, which
     * exist because Spark Connect lists ML classes through {@link java.util.ServiceLoader}, and that refuses a
     * provider class without one (and with it every other provider).
     */
    protected NeuralNetModel(String uid, TrainedNetwork network) {
        this.uid = uid;
        this.network = network;
        featuresCol = new Param<>(this, "featuresCol", "features column: a Spark ML vector or array<float|double>");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
    }

    /** Reads a sparktrain model directory (e.g. {@code RUN/model} of the CLI's {@code train}) on the driver. */
    protected static TrainedNetwork readModelDirectory(String dir) {
        return TrainedNetwork.of(ModelReader.read(Path.of(dir)));
    }

    @Override
    public String uid() {
        return uid;
    }

    TrainedNetwork network() {
        if (network == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + uid + " holds no trained network (made "
                    + "by its no-argument constructor, which exists for ServiceLoader); fit an estimator or load a "
                    + "saved model");
        }
        return network;
    }

    /**
     * What the model occupies in memory, for Spark Connect's model cache (its per-model and per-session limits):
     * the parameters and the config text; the rest is a few objects.
     */
    @Override
    public long estimatedSize() {
        return network == null ? 0 : ModelSize.bytes(network.run(), network.configYaml());
    }

    /** The resolved sparktrain config the model was trained with (YAML). */
    public String configYaml() {
        return network.configYaml();
    }

    /** The trained parameters as one flat vector (a copy), laid out as {@code layout.json} describes. */
    public float[] parameters() {
        return network.params().clone();
    }

    /** Values per input row. */
    public int numFeatures() {
        return network.featureSize();
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    @SuppressWarnings("unchecked")
    public M setFeaturesCol(String value) {
        return (M) set(featuresCol, value);
    }

    @SuppressWarnings("unchecked")
    public M setPredictionCol(String value) {
        return (M) set(predictionCol, value);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        MlSchemas.checkFeatures(schema, getFeaturesCol());
        return MlSchemas.append(schema, outputColumns());
    }

    /** Appends the output columns; rows keep their order and partitions. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        List<OutputColumn> outputs = new ArrayList<>();
        outputColumns().forEach((name, column) -> {
            if (!name.isEmpty()) {
                outputs.add(column);
            }
        });
        RowPredictor predictor = new RowPredictor(network.spec(), network.normalization(),
                df.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(),
                network.run().training().evalBatchSize(), outputs);
        // Cleaned up by Spark's ContextCleaner once the returned DataFrame is no longer referenced.
        Broadcast<ParameterSnapshot> params = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext())
                .broadcast(new ParameterSnapshot(0, network.params()));
        return df.mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
                predictor.apply(rows, params.value().params()), Encoders.row(out));
    }

    /** Raw outputs and the loss's prediction for one row of features, on the driver (no Spark job). */
    protected float[][] forwardOne(org.apache.spark.ml.linalg.Vector features) {
        if (local == null) {
            local = new Network(network.spec(), Nd4j.createFromArray(network.params()));
        }
        RowPredictor predictor = new RowPredictor(network.spec(), network.normalization(), 0, "features", 1,
                List.of());
        float[] x = new float[network.featureSize()];
        predictor.read(features, x, 0, x.length, 0);
        return predictor.forward(local, x, 1);
    }

    /**
     * Writes this model as an ONNX file (opset {@value OnnxExporter#OPSET}) that takes raw features as
     * {@link #transform} does, its normalisation inside; see {@link OnnxExporter} for its inputs and outputs. A local
     * path; an existing file is refused.
     */
    public void exportOnnx(String path) {
        exportOnnx(path, false);
    }

    /** As {@link #exportOnnx(String)}, replacing an existing file when {@code overwrite}. */
    public void exportOnnx(String path, boolean overwrite) {
        Path out = Path.of(path);
        OnnxFile.checkTarget(out, overwrite);
        TrainedNetwork trained = network();
        OnnxFile.write(OnnxExporter.export(trained.run().name(), trained.spec(), trained.params(),
                trained.normalization(), trained.configYaml()), out, overwrite);
    }

    @Override
    public MLWriter write() {
        return new NeuralNetModelWriter(this);
    }

    /** The columns this model appends, by name (empty names are left out). */
    protected abstract Map<String, OutputColumn> outputColumns();
}
