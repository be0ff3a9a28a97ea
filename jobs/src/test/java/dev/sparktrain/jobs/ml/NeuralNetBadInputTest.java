package dev.sparktrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** The estimators' and models' bad input: one message naming the param, field, column or file. */
class NeuralNetBadInputTest {

    @TempDir
    Path dir;

    private static Dataset<Row> data() {
        return new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3", "x4"}).setOutputCol("features")
                .transform(MlData.blobs(40, 3, 1));
    }

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void configProblemsNameTheField() {
        assertTrue(message(() -> new NeuralNetClassifier().fit(data())).startsWith("config is not set"));
        assertEquals("unknown field 'training.epoch'; did you mean 'epochs'?", message(() ->
                new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP).setOverrides("training.epoch=2")
                        .fit(data())));
        assertTrue(message(() -> new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP).setEpochs(0)
                .fit(data())).contains("training.epochs"));
        assertTrue(message(() -> new NeuralNetClassifier().setConfig(NeuralNetRegressorTest.CONFIG).fit(data()))
                .contains("use NeuralNetRegressor"));
        assertTrue(message(() -> new NeuralNetRegressor().setConfig(NeuralNetClassifierTest.MLP).fit(data()))
                .contains("use NeuralNetClassifier"));
    }

    @Test
    void dataProblemsNameTheColumnOrRow() {
        NeuralNetClassifier nn = new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP);
        assertTrue(message(() -> nn.fit(data().drop("features"))).startsWith("featuresCol 'features' is not a column"));
        String label = message(() -> nn.fit(data().withColumn("label", functions.lit(3))));
        assertTrue(label.contains("label 3 is not a class index, expected a whole number in [0, 2]"), label);
        assertTrue(label.startsWith("DataFrame (partition "), label);
        String size = message(() -> nn.setOverrides("model.input_shape=[5]").fit(data()));
        assertTrue(size.contains("'features' has 4 values per row, but model.input_shape [5] expects 5"), size);
        assertTrue(message(() -> nn.setOverrides().fit(data().withColumn("label", functions.lit("cat"))))
                .startsWith("labelCol 'label' is string, expected a number"));
    }

    @Test
    void damagedSavedModelNamesTheFile() throws Exception {
        NeuralNetClassificationModel model = new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP)
                .setEpochs(1).fit(data());
        String path = dir.resolve("saved").toString();
        model.save(path);
        Path params = dir.resolve("saved/model/params.npy");
        Files.write(params, "not numpy".getBytes());
        String m = message(() -> NeuralNetClassificationModel.load(path));
        assertTrue(m.startsWith(params + ": corrupted: not an NPY file"), m);
        String missing = dir.resolve("never-saved").toString();
        assertTrue(message(() -> NeuralNetClassificationModel.load(missing))
                .startsWith(missing + ": no saved model there"));
        assertTrue(message(() -> NeuralNetRegressionModel.fromModelDirectory(dir.resolve("nothing").toString()))
                .endsWith("nothing: model directory not found"));
    }
}
