package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;

/**
 * A fitted {@link NeuralNetClassifier}: appends {@code rawPrediction} (network outputs), {@code probability} and
 * {@code prediction} (the class index as a double), as Spark ML's classifiers do, so Spark's evaluators work on
 * its output. {@link #fromModelDirectory} turns a model trained by the CLI into one.
 */
public final class NeuralNetClassificationModel extends NeuralNetModel<NeuralNetClassificationModel> {

    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    /** For Spark Connect's ServiceLoader only: a model without a network, unusable until replaced by a loaded one. */
    public NeuralNetClassificationModel() {
        this(Identifiable$.MODULE$.randomUID("nnClassifier"), null);
    }

    NeuralNetClassificationModel(String uid, TrainedNetwork network) {
        super(uid, network);
        if (network != null && (network.kind() == TaskKind.REGRESSION)) {
            throw new IllegalArgumentException("not a classifier: model.loss " + network.spec().loss().name()
                    + " with " + network.outputSize() + " output(s) is a regression model");
        }
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (empty: none)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw network outputs column name (empty: none)");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    public static MLReader<NeuralNetClassificationModel> read() {
        return new NeuralNetModelReader<>(NeuralNetClassificationModel.class, NeuralNetClassificationModel::new);
    }

    public static NeuralNetClassificationModel load(String path) {
        return read().load(path);
    }

    /** A classifier from a sparktrain model directory, such as {@code RUN/model} of {@code sparktrain train}. */
    public static NeuralNetClassificationModel fromModelDirectory(String dir) {
        return new NeuralNetClassificationModel(Identifiable$.MODULE$.randomUID("nnClassifier"),
                readModelDirectory(dir));
    }

    public int numClasses() {
        return network().kind() == TaskKind.BINARY ? 2 : network().outputSize();
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public NeuralNetClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public NeuralNetClassificationModel setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    /** The predicted class of one row (on the driver; use {@link #transform} for data sets). */
    public double predict(Vector features) {
        float[][] out = forwardOne(features);
        return (double) OutputColumn.PREDICTION.value(network().kind(), out[0], out[1], 0, network().outputSize());
    }

    /** The class probabilities of one row (on the driver). */
    public Vector predictProbability(Vector features) {
        float[][] out = forwardOne(features);
        return (Vector) OutputColumn.PROBABILITY.value(network().kind(), out[0], out[1], 0, network().outputSize());
    }

    @Override
    protected Map<String, OutputColumn> outputColumns() {
        Map<String, OutputColumn> out = new LinkedHashMap<>();
        out.put(getRawPredictionCol(), OutputColumn.RAW_PREDICTION);
        out.put(getProbabilityCol(), OutputColumn.PROBABILITY);
        out.put(getPredictionCol(), OutputColumn.PREDICTION);
        return out;
    }

    @Override
    public NeuralNetClassificationModel copy(ParamMap extra) {
        return copyValues(new NeuralNetClassificationModel(uid(), network()), extra).setParent(parent());
    }
}
