package dev.sparktrain.driver.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvaluationSumTest {

    /** Three rows of 3 classes: true classes 0, 1, 2. */
    private static EvaluationSum threeRows() {
        float[] scores = {
            0.7f, 0.2f, 0.1f,   // actual 0, predicted 0 (rank 1)
            0.5f, 0.3f, 0.2f,   // actual 1, predicted 0 (rank 2)
            0.6f, 0.3f, 0.1f};  // actual 2, predicted 0 (rank 3)
        return new EvaluationSum(3).addScores(0.9, new int[] {0, 1, 2}, scores);
    }

    @Test
    void accuracyTopKAndConfusionMatrix() {
        EvaluationSum e = threeRows();
        assertEquals(1.0 / 3, e.accuracy(), 1e-12);
        assertEquals(2.0 / 3, e.topK(2), 1e-12);
        assertEquals(1.0, e.topK(3), 1e-12);
        assertArrayEquals(new long[] {1, 0, 0}, e.confusionMatrix()[0]);
        assertArrayEquals(new long[] {1, 0, 0}, e.confusionMatrix()[1]);
        assertArrayEquals(new long[] {1, 0, 0}, e.confusionMatrix()[2]);
        assertEquals(0.9, e.meanLoss(), 1e-12);
        assertEquals("loss 0.9000 accuracy 0.3333 top3 1.0000 macro_f1 0.1667", e.summary());
    }

    @Test
    void precisionRecallAndF1PerClass() {
        EvaluationSum e = threeRows();
        // class 0: predicted 3 times, right once → precision 1/3; recall 1/1; F1 = 2·(1/3)·1 / (4/3) = 1/2.
        assertEquals(1.0 / 3, e.precision(0), 1e-12);
        assertEquals(1.0, e.recall(0), 1e-12);
        assertEquals(0.5, e.f1(0), 1e-12);
        // classes 1 and 2 are never predicted: precision, recall and F1 0.
        assertEquals(0.0, e.precision(1));
        assertEquals(0.0, e.f1(2));
        assertEquals(0.5 / 3, e.macroF1(), 1e-12);
    }

    @Test
    void aucCountsPositiveAboveNegativePairsWithTiesAsHalf() {
        // Positives score 0.9, 0.4; negatives 0.6, 0.1, 0.4 → pairs: (0.9 beats all 3) + (0.4 beats 0.1, ties 0.4)
        // = 3 + 1 + 0.5 = 4.5 of 6.
        float[] p = {0.9f, 0.4f, 0.6f, 0.1f, 0.4f};
        int[] actual = {1, 1, 0, 0, 0};
        float[] scores = new float[10];
        for (int i = 0; i < 5; i++) {
            scores[2 * i] = 1 - p[i];
            scores[2 * i + 1] = p[i];
        }
        EvaluationSum e = new EvaluationSum(2).addScores(0.5, actual, scores);
        assertEquals(4.5 / 6, e.auc(), 1e-12);
    }

    @Test
    void aBinaryModelsClassOneStartsAtOneHalfInclusive() {
        // p = 0.5 is class 1 (as predict decides), so row 1 is right and row 2 wrong; top-1 is the predicted class.
        EvaluationSum e = new EvaluationSum(2).addBinary(0.7, new int[] {0, 1, 0, 1}, new float[] {0.2f, 0.5f, 0.5f,
            0.4999999f});
        assertArrayEquals(new long[] {1, 1}, e.confusionMatrix()[0]);
        assertArrayEquals(new long[] {1, 1}, e.confusionMatrix()[1]);
        assertEquals(0.5, e.accuracy(), 1e-12);
        assertEquals(1.0, e.topK(2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new EvaluationSum(3).addBinary(0, new int[] {0},
                new float[] {0.5f}));
    }

    @Test
    void mergingIsAdditionAndEmptyIsTheIdentity() {
        EvaluationSum merged = new EvaluationSum(3).merge(threeRows()).merge(threeRows()).merge(new EvaluationSum(3));
        assertEquals(6, merged.count());
        assertEquals(2.0 / 3, merged.topK(2), 1e-12);
        assertEquals(2, merged.confusionMatrix()[1][0]);
    }

    @Test
    void regressionHasLossOnlyAndWrongCallsAreRefused() {
        EvaluationSum r = new EvaluationSum(0).addLoss(2.0, 3).addLoss(4.0, 1);
        assertEquals(2.5, r.meanLoss(), 1e-12);
        assertThrows(IllegalStateException.class, r::accuracy);
        assertThrows(IllegalStateException.class, () -> new EvaluationSum(3).meanLoss());
        assertThrows(IllegalStateException.class, () -> threeRows().auc());
        assertThrows(IllegalArgumentException.class, () -> threeRows().topK(4));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationSum(3).addScores(0, new int[] {3},
                new float[] {1, 0, 0}));
    }
}
