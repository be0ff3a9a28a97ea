package dev.sparktrain.ops.activations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * backward() against centred differences of L(z) = Σ g ∘ f(z) for a random upstream gradient g, in double. Inputs
 * stay away from kinks (0 for relu-like, ±1 for hard_tanh, ±3 for hard_sigmoid) so the check is meaningful.
 */
class ActivationGradientCheckTest {

    static Stream<Activation> all() {
        return Stream.concat(Activations.names().stream().map(Activations::byName),
                Stream.of(new LeakyRelu(0.2), new Elu(0.5), new Softplus(2, 5), new Softplus(0.5, 20),
                        HardSigmoid.keras2(), new HardSigmoid(0.3, 0.2)));
    }

    @ParameterizedTest
    @MethodSource("all")
    void backwardMatchesCentredDifferences(Activation a) {
        Nd4j.getRandom().setSeed(42);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 4, 6).muli(2.5);
        // push values off the kinks at 0, ±1 and ±3
        for (long i = 0; i < z.length(); i++) {
            double v = z.getDouble(i);
            // (and hard_sigmoid's at ±2.5 and 8/3, -2/3, softplus' threshold at 2.5 for β = 2, threshold 5)
            for (double kink : List.of(0.0, 1.0, -1.0, 3.0, -3.0, 2.5, -2.5, 8.0 / 3, -2.0 / 3)) {
                if (Math.abs(v - kink) < 0.05) {
                    z.putScalar(i, kink + 0.1);
                }
            }
        }
        INDArray g = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray analytic = a.backward(z, a.forward(z), g);
        double h = 1e-6;
        for (long i = 0; i < z.length(); i++) {
            double orig = z.getDouble(i);
            z.putScalar(i, orig + h);
            INDArray plus = a.forward(z);
            z.putScalar(i, orig - h);
            INDArray minus = a.forward(z);
            z.putScalar(i, orig);
            // difference first, then the weighted sum: unchanged elements cancel exactly
            double numeric = plus.subi(minus).muli(g).sumNumber().doubleValue() / (2 * h);
            double an = analytic.getDouble(i);
            double err = Math.abs(an - numeric) / Math.max(Math.abs(an) + Math.abs(numeric), 1e-8);
            assertTrue(err < 1e-5, a.name() + " at z=" + orig + ": analytic " + an + " numeric " + numeric);
        }
    }
}
