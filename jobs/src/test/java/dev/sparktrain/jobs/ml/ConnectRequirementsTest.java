package dev.sparktrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Spark Connect's ML server needs of the classes (its MLUtils, MLHandler and MLCache): ServiceLoader lists it
 * can read, a {@code (String uid)} constructor for estimators, sizes for its model cache before and after fitting,
 * and saving and loading "to local" for the cache's offloading to the driver's disk.
 */
class ConnectRequirementsTest {

    @TempDir
    Path dir;

    private static Dataset<Row> data() {
        return new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3", "x4"}).setOutputCol("features")
                .transform(MlData.blobs(120, 3, 1));
    }

    private static Set<String> providers(Class<?> service) {
        // As MLUtils.loadOperators does: provider types without instantiating them. A listed class without a public
        // no-argument constructor fails this stream for every provider, Spark's own included.
        return ServiceLoader.load(service).stream().map(p -> p.type().getName()).collect(Collectors.toSet());
    }

    @Test
    void serviceLoaderListsTheEstimatorsAndModels() throws Exception {
        Set<String> estimators = providers(Estimator.class);
        assertTrue(estimators.contains(NeuralNetClassifier.class.getName()), estimators.toString());
        assertTrue(estimators.contains(NeuralNetRegressor.class.getName()));
        assertTrue(estimators.contains("org.apache.spark.ml.classification.LogisticRegression"));
        Set<String> transformers = providers(Transformer.class);
        assertTrue(transformers.contains(NeuralNetClassificationModel.class.getName()), transformers.toString());
        assertTrue(transformers.contains(NeuralNetRegressionModel.class.getName()));
        NeuralNetClassifier made = NeuralNetClassifier.class.getConstructor(String.class).newInstance("nn_1");
        assertEquals("nn_1", made.uid());
        String message = assertThrows(IllegalStateException.class,
                () -> new NeuralNetClassificationModel().numClasses()).getMessage();
        assertTrue(message.contains("holds no trained network"), message);
        assertEquals(0, new NeuralNetRegressionModel().estimatedSize());
    }

    @Test
    void modelSizeIsKnownBeforeFittingAndEqualsTheFittedModels() {
        NeuralNetClassifier nn = new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP).setEpochs(1);
        long before = nn.estimateModelSize(data());
        // 4 -> 16 -> 3 dense: 4*16+16 + 16*3+3 = 131 float32 parameters, plus the config text and 4 features' stats.
        assertTrue(before >= 4 * 131 && before < 4 * 131 + 4096, "estimate " + before);
        NeuralNetClassificationModel model = nn.fit(data());
        assertEquals(before, model.estimatedSize());
        long wider = nn.copy(org.apache.spark.ml.param.ParamMap.empty())
                .setOverrides("model.layers.0.units=1000").estimateModelSize(data());
        assertTrue(wider > 4L * (4 * 1000 + 1000 + 1000 * 3), "estimate " + wider);
    }

    @Test
    void savesAndLoadsToLocalAsTheModelCacheOffloadsModels() throws Exception {
        NeuralNetClassificationModel model = new NeuralNetClassifier().setConfig(NeuralNetClassifierTest.MLP)
                .setEpochs(1).fit(data());
        String path = dir.resolve("offloaded").toString();
        model.write().saveToLocal(path);
        assertTrue(Files.isRegularFile(dir.resolve("offloaded/model/params.npy")));
        NeuralNetClassificationModel loaded = NeuralNetClassificationModel.read().loadFromLocal(path);
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.parameters(), loaded.parameters());
    }
}
