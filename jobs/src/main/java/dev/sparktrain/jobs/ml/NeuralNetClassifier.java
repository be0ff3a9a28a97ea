package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;

/**
 * A Spark ML estimator that trains a sparktrain network for classification on a DataFrame: labels are class
 * indices {@code 0..C-1} for a multi-class loss with C outputs (softmax_cross_entropy, nll, hinge, squared_hinge,
 * softmax_focal), or 0/1 for a binary loss with one output (binary_cross_entropy[_with_logits], sigmoid_focal).
 *
 * <pre>{@code
 * NeuralNetClassifier nn = new NeuralNetClassifier()
 *     .setConfigFile("conf/examples/fashion-mlp.yaml").setEpochs(3).setMode("average");
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, nn}).fit(train);
 * }</pre>
 */
public final class NeuralNetClassifier extends NeuralNetEstimator<NeuralNetClassifier, NeuralNetClassificationModel> {

    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    public NeuralNetClassifier() {
        this(Identifiable$.MODULE$.randomUID("nnClassifier"));
    }

    public NeuralNetClassifier(String uid) {
        super(uid);
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (empty: none)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw network outputs column name (empty: none)");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    public static MLReader<NeuralNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static NeuralNetClassifier load(String path) {
        return read().load(path);
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

    public NeuralNetClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public NeuralNetClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    @Override
    protected void checkTask(NetworkSpec spec) {
        if (TaskKind.of(spec) == TaskKind.REGRESSION) {
            throw new IllegalArgumentException("NeuralNetClassifier needs a classification loss: a multi-class loss "
                    + "with C >= 2 outputs or a binary loss with 1 output; got model.loss " + spec.loss().name()
                    + " with " + spec.outputShape().size() + " output(s) (use NeuralNetRegressor for regression)");
        }
    }

    @Override
    protected NeuralNetClassificationModel newModel(String uid, TrainedNetwork network) {
        return new NeuralNetClassificationModel(uid, network);
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
    public NeuralNetClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
