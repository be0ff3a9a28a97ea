package dev.sparktrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.run.LoadedModel;
import dev.sparktrain.jobs.run.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NeuralNetClassifier in Spark ML pipelines: training, Spark's evaluators, save and load of pipelines and models. */
class NeuralNetClassifierTest {

    static final String MLP = """
            name: blobs
            data: {normalize: standardize}
            model:
              input_shape: [4]
              layers:
                - {type: dense, units: 16, activation: relu}
                - {type: dense, units: 3}
              loss: softmax_cross_entropy
            optimizer: {type: adam, lr: 0.01}
            training: {epochs: 2, batch_size_per_worker: 32, workers: 2, seed: 3}
            """;

    @TempDir
    Path dir;

    private static VectorAssembler assembler() {
        return new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3", "x4"}).setOutputCol("features");
    }

    @Test
    void pipelineTrainsSavesLoadsAndPredictsTheSame() throws Exception {
        Dataset<Row> train = MlData.blobs(900, 3, 1);
        Dataset<Row> test = MlData.blobs(300, 3, 2);
        NeuralNetClassifier nn = new NeuralNetClassifier().setConfig(MLP).setEpochs(8).setSeed(7);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler(), nn});
        PipelineModel fitted = pipeline.fit(train);

        Dataset<Row> predicted = fitted.transform(test).orderBy("id");
        assertEquals(List.of("id", "x1", "x2", "x3", "x4", "label", "features", "rawPrediction", "probability",
                "prediction"), List.of(predicted.columns()));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy >= 0.93, "accuracy " + accuracy);
        Row first = predicted.first();
        Vector probability = first.getAs("probability");
        assertEquals(1.0, probability.toArray()[0] + probability.toArray()[1] + probability.toArray()[2], 1e-5);
        assertEquals(probability.argmax(), (int) first.<Double>getAs("prediction").doubleValue());

        String fittedPath = dir.resolve("fitted").toString();
        fitted.write().overwrite().save(fittedPath);
        PipelineModel loaded = PipelineModel.load(fittedPath);
        List<Row> before = predicted.select("id", "rawPrediction", "probability", "prediction").collectAsList();
        List<Row> after = loaded.transform(test).orderBy("id").select("id", "rawPrediction", "probability",
                "prediction").collectAsList();
        assertEquals(before, after);

        // The stage's model directory is a CLI model: inspect, evaluate and predict read it.
        NeuralNetClassificationModel stage = (NeuralNetClassificationModel) loaded.stages()[1];
        assertEquals(3, stage.numClasses());
        assertEquals(4, stage.numFeatures());
        Path modelDir;
        try (Stream<Path> stages = Files.list(dir.resolve("fitted/stages"))) {
            modelDir = stages.filter(p -> p.getFileName().toString().contains("nnClassifier")).findFirst()
                    .orElseThrow().resolve("model");
        }
        LoadedModel cli = ModelReader.read(modelDir);
        assertArrayEquals(stage.parameters(), cli.params().toFloatVector());
        assertEquals("<DataFrame given to fit>", cli.run().data().trainPath());
        assertEquals(before.get(0).<Double>getAs("prediction"),
                NeuralNetClassificationModel.fromModelDirectory(modelDir.toString())
                        .predict(first.<Vector>getAs("features")));

        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.save(pipelinePath);
        NeuralNetClassifier again = (NeuralNetClassifier) Pipeline.load(pipelinePath).getStages()[1];
        assertEquals(nn.uid(), again.uid());
        assertEquals(8, again.resolvedConfig().training().epochs());
        assertEquals(7, again.resolvedConfig().training().seed());
        assertEquals(MLP, again.getOrDefault(again.config()));
    }

    @Test
    void binaryFocalLossGivesSparkStyleColumnsForBinaryEvaluation() {
        Dataset<Row> train = MlData.blobs(600, 2, 3);
        Dataset<Row> test = MlData.blobs(200, 2, 4);
        NeuralNetClassifier nn = new NeuralNetClassifier().setConfig(MLP)
                .setOverrides("model.layers.1.units=1", "model.loss={type: sigmoid_focal, alpha: 0.25, gamma: 2}")
                .setEpochs(6).setProbabilityCol("p");
        Dataset<Row> predicted = new Pipeline().setStages(new PipelineStage[] {assembler(), nn}).fit(train)
                .transform(test);
        double auc = new BinaryClassificationEvaluator().evaluate(predicted);
        assertTrue(auc >= 0.97, "AUC " + auc);
        for (Row row : predicted.select("rawPrediction", "p", "prediction").collectAsList()) {
            double[] raw = row.<Vector>getAs(0).toArray();
            double[] p = row.<Vector>getAs(1).toArray();
            assertEquals(-raw[0], raw[1]);
            assertEquals(1.0, p[0] + p[1], 1e-6);
            assertEquals(p[1] >= 0.5 ? 1.0 : 0.0, row.getDouble(2));
        }
    }
}
