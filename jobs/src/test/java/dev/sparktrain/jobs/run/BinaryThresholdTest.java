package dev.sparktrain.jobs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.SparkFixture;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Sigmoid;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.BinaryCrossEntropy;
import dev.sparktrain.ops.losses.BinaryCrossEntropyWithLogits;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.losses.SigmoidFocal;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A binary model whose class-1 probability is exactly 0.5 on some rows (weights (1, 0) and bias 0, so the logit is x1
 * and rows with x1 = 0 have logit 0): evaluation counts those rows as class 1, as predict does, for each of the three
 * binary losses.
 */
class BinaryThresholdTest {

    /** x1 per row; x2 is noise the model ignores. Rows with x1 = 0 sit exactly on the threshold. */
    private static final float[][] X1 = {{0, 0, 0, 2, -2, 0}, {0, 0, -2, 2}};
    private static final float[][] LABELS = {{1, 1, 0, 1, 0, 1}, {0, 1, 1, 1}};

    private static DataBlock block(int b) {
        int rows = X1[b].length;
        float[] features = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            features[2 * r] = X1[b][r];
            features[2 * r + 1] = 0.25f * (r + 1);
        }
        return new DataBlock(rows, 2, features, LABELS[b].clone());
    }

    private static NetworkSpec spec(String loss) {
        Loss l = switch (loss) {
            case "binary_cross_entropy" -> new BinaryCrossEntropy();
            case "binary_cross_entropy_with_logits" -> new BinaryCrossEntropyWithLogits();
            default -> new SigmoidFocal(0.25, 2);
        };
        Activation last = l instanceof BinaryCrossEntropy ? new Sigmoid() : new Identity();
        return new NetworkSpec(new Shape(2), List.of(new Dense(1, last)), l);
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal"})
    void evaluationCountsPOfOneHalfAsClassOneAsPredictDoes(String loss) {
        JavaSparkContext sc = SparkFixture.context();
        NetworkSpec spec = spec(loss);
        ParameterSnapshot params = new ParameterSnapshot(1, new float[] {1, 0, 0});
        CachedBlocks data = CachedBlocks.cache(sc.parallelize(List.of(block(0), block(1)), 2), 2, 2, "threshold");
        try (Predictions predictions = new Predictions(sc, data, spec, params, 4)) {
            int correct = 0;
            int onThreshold = 0;
            List<DataBlock> predicted = predictions.rdd().collect();
            for (int b = 0; b < predicted.size(); b++) {
                for (int r = 0; r < predicted.get(b).rows(); r++) {
                    float p = predictions.value(predicted.get(b), r, 1);
                    onThreshold += p == 0.5f ? 1 : 0;
                    assertEquals(X1[b][r] >= 0 ? 1 : 0, predictions.predictedClass(predicted.get(b), r), "row " + r);
                    correct += predictions.predictedClass(predicted.get(b), r) == (int) LABELS[b][r] ? 1 : 0;
                }
            }
            assertEquals(6, onThreshold, "rows whose p is exactly 0.5");
            assertEquals(7, correct);
            assertEquals(7, predictions.topKHits(1), "top-1 is the predicted class");
            assertEquals(10, predictions.topKHits(2));

            EvaluationSum sum = Evaluator.evaluate(sc, data, spec, params, 4);
            assertEquals(correct / 10.0, sum.accuracy(), 1e-12, "evaluate's accuracy = predict's");
            assertArrayEquals(new long[] {1, 2}, sum.confusionMatrix()[0], "actual 0: predicted 0, 1");
            assertArrayEquals(new long[] {1, 6}, sum.confusionMatrix()[1], "actual 1: predicted 0, 1");
            assertEquals(1.0, sum.topK(2), 1e-12);
        } finally {
            data.release();
        }
    }
}
