package dev.sparktrain.ops.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Focal losses with one α per class, against their closed forms written out element by element in double. */
class FocalClassAlphaTest {

    private static final double[][] X = {{1.5, -0.3, 0.2}, {-2.0, 0.7, 3.1}};
    private static final List<Double> ALPHA = List.of(0.2, 0.5, 0.9);

    private static double sigmoid(double t) {
        return 1 / (1 + Math.exp(-t));
    }

    @Test
    void sigmoidFocalWeighsEachColumnByItsAlpha() {
        double[][] y = {{1, 0, 1}, {0, 0, 1}};
        double gamma = 2;
        INDArray unreduced = new SigmoidFocal(ALPHA, gamma).unreduced(Nd4j.createFromArray(X), Nd4j.createFromArray(y));
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                double p = sigmoid(X[i][c]);
                double pt = y[i][c] == 1 ? p : 1 - p;
                double at = y[i][c] == 1 ? ALPHA.get(c) : 1 - ALPHA.get(c);
                double expected = -at * Math.pow(1 - pt, gamma) * Math.log(pt);
                assertEquals(expected, unreduced.getDouble(i, c), 1e-14, "element " + i + "," + c);
                sum += expected;
            }
        }
        assertEquals(sum / 6, new SigmoidFocal(ALPHA, gamma).compute(Nd4j.createFromArray(X),
                Nd4j.createFromArray(y)).loss(), 1e-14);
    }

    @Test
    void softmaxFocalWeighsEachClassByItsAlpha() {
        double gamma = 1.5;
        INDArray labels = Nd4j.createFromArray(2.0, 0.0);
        INDArray unreduced = new SoftmaxFocal(ALPHA, gamma).unreduced(Nd4j.createFromArray(X), labels);
        int[] k = {2, 0};
        for (int i = 0; i < 2; i++) {
            double norm = 0;
            for (double v : X[i]) {
                norm += Math.exp(v);
            }
            double p = Math.exp(X[i][k[i]]) / norm;
            double expected = -ALPHA.get(k[i]) * Math.pow(1 - p, gamma) * Math.log(p);
            assertEquals(expected, unreduced.getDouble(i), 1e-14, "row " + i);
        }
    }

    @Test
    void aSingleAlphaIsTheListOfItRepeated() {
        INDArray x = Nd4j.createFromArray(X);
        INDArray y = Nd4j.createFromArray(new double[][] {{1, 0, 1}, {0, 0.5, 1}});
        assertEquals(new SigmoidFocal(0.3, 2).compute(x, y).loss(),
                new SigmoidFocal(List.of(0.3, 0.3, 0.3), 2).compute(x, y).loss(), 1e-15);
        INDArray k = Nd4j.createFromArray(1.0, 2.0);
        assertEquals(new SoftmaxFocal(0.7, 2).compute(x, k).loss(),
                new SoftmaxFocal(List.of(0.7, 0.7, 0.7), 2).compute(x, k).loss(), 1e-15);
    }

    @Test
    void configTakesANumberOrAListAndTheNetworkChecksItsLength() {
        assertEquals(new SoftmaxFocal(List.of(0.25, 1.0, 2.0), 2), Losses.create(new Options("model.loss", Map.of(
                "type", "softmax_focal", "alpha", List.of(0.25, 1, 2)))));
        assertEquals(new SigmoidFocal(0.5, 1), Losses.create(new Options("model.loss", Map.of(
                "type", "sigmoid_focal", "alpha", 0.5, "gamma", 1))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(new Shape(4),
                List.of(new Dense(5, Activations.byName("identity"))), new SoftmaxFocal(ALPHA, 2)));
        assertEquals("model.loss: softmax_focal.alpha has 3 entries, expected one per output (5) or a single number",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SigmoidFocal(List.of(0.5, 1.5), 2));
        assertEquals("sigmoid_focal.alpha[1] must be in [0, 1], got 1.5", e.getMessage());
    }
}
