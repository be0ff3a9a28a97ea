package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;

/**
 * A Spark ML estimator that trains a sparktrain network with one output for regression (mse, mae, huber) on a
 * DataFrame; the label is any finite number. Configured as {@link NeuralNetClassifier} is.
 */
public final class NeuralNetRegressor extends NeuralNetEstimator<NeuralNetRegressor, NeuralNetRegressionModel> {

    public NeuralNetRegressor() {
        this(Identifiable$.MODULE$.randomUID("nnRegressor"));
    }

    public NeuralNetRegressor(String uid) {
        super(uid);
    }

    public static MLReader<NeuralNetRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static NeuralNetRegressor load(String path) {
        return read().load(path);
    }

    @Override
    protected void checkTask(NetworkSpec spec) {
        if (TaskKind.of(spec) != TaskKind.REGRESSION || spec.outputShape().size() != 1) {
            throw new IllegalArgumentException("NeuralNetRegressor needs a regression loss (mse, mae, huber) and 1 "
                    + "output; got model.loss " + spec.loss().name() + " with " + spec.outputShape().size()
                    + " output(s)" + (TaskKind.of(spec) == TaskKind.REGRESSION ? "" : " (use NeuralNetClassifier)"));
        }
    }

    @Override
    protected NeuralNetRegressionModel newModel(String uid, TrainedNetwork network) {
        return new NeuralNetRegressionModel(uid, network);
    }

    @Override
    protected Map<String, OutputColumn> outputColumns() {
        Map<String, OutputColumn> out = new LinkedHashMap<>();
        out.put(getPredictionCol(), OutputColumn.PREDICTION);
        return out;
    }

    @Override
    public NeuralNetRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
