package dev.sparktrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NeuralNetRegressor on a smooth nonlinear target: accuracy, save and load, single-row prediction. */
class NeuralNetRegressorTest {

    static final String CONFIG = """
            name: curve
            model:
              input_shape: [3]
              layers:
                - {type: dense, units: 32, activation: tanh}
                - {type: dense, units: 1}
              loss: mse
            optimizer: {type: adam, lr: 0.01}
            training: {epochs: 1, batch_size_per_worker: 16, workers: 2, seed: 5}
            """;

    @TempDir
    Path dir;

    @Test
    void learnsASmoothTargetAndPredictsTheSameAfterLoading() throws Exception {
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3"})
                .setOutputCol("features");
        Dataset<Row> train = assembler.transform(MlData.curve(800, 1));
        Dataset<Row> test = assembler.transform(MlData.curve(200, 2));
        NeuralNetRegressionModel model = new NeuralNetRegressor().setConfig(CONFIG).setLabelCol("y")
                .setEpochs(40).setMode("average").setLearningRate(0.02).fit(train);

        Dataset<Row> predicted = model.transform(test).orderBy("id");
        // The target's standard deviation is about 1.4; predicting the mean would give an RMSE of about 1.4.
        double rmse = new RegressionEvaluator().setLabelCol("y").setMetricName("rmse").evaluate(predicted);
        assertTrue(rmse < 0.15, "rmse " + rmse);

        String path = dir.resolve("model").toString();
        model.save(path);
        NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertTrue(loaded.configYaml().contains("mode: average"), loaded.configYaml());
        List<Row> before = predicted.select("id", "prediction").collectAsList();
        List<Row> after = loaded.transform(test).orderBy("id").select("id", "prediction").collectAsList();
        assertEquals(before, after);

        Row first = predicted.first();
        assertEquals(first.<Double>getAs("prediction"), loaded.predict(first.<Vector>getAs("features")), 1e-5);
    }
}
