package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;

/** A fitted {@link NeuralNetRegressor}: appends {@code prediction}, the network's single output. */
public final class NeuralNetRegressionModel extends NeuralNetModel<NeuralNetRegressionModel> {

    /** For Spark Connect's ServiceLoader only: a model without a network, unusable until replaced by a loaded one. */
    public NeuralNetRegressionModel() {
        this(Identifiable$.MODULE$.randomUID("nnRegressor"), null);
    }

    NeuralNetRegressionModel(String uid, TrainedNetwork network) {
        super(uid, network);
        if (network != null && (network.kind() != TaskKind.REGRESSION || network.outputSize() != 1)) {
            throw new IllegalArgumentException("not a regression model: model.loss " + network.spec().loss().name()
                    + " with " + network.outputSize() + " output(s)");
        }
    }

    public static MLReader<NeuralNetRegressionModel> read() {
        return new NeuralNetModelReader<>(NeuralNetRegressionModel.class, NeuralNetRegressionModel::new);
    }

    public static NeuralNetRegressionModel load(String path) {
        return read().load(path);
    }

    /** A regression model from a sparktrain model directory, such as {@code RUN/model} of {@code sparktrain train}. */
    public static NeuralNetRegressionModel fromModelDirectory(String dir) {
        return new NeuralNetRegressionModel(Identifiable$.MODULE$.randomUID("nnRegressor"), readModelDirectory(dir));
    }

    /** The prediction for one row (on the driver; use {@link #transform} for data sets). */
    public double predict(Vector features) {
        return forwardOne(features)[1][0];
    }

    @Override
    protected Map<String, OutputColumn> outputColumns() {
        Map<String, OutputColumn> out = new LinkedHashMap<>();
        out.put(getPredictionCol(), OutputColumn.PREDICTION);
        return out;
    }

    @Override
    public NeuralNetRegressionModel copy(ParamMap extra) {
        return copyValues(new NeuralNetRegressionModel(uid(), network()), extra).setParent(parent());
    }
}
