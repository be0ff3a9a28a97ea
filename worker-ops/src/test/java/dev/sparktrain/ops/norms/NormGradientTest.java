package dev.sparktrain.ops.norms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.regularization.Penalty;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradients of the unsquared L2 norm (x/‖x‖₂) and of the squared one (2x), and of the penalties built on them,
 * against closed forms and centred differences in double.
 */
class NormGradientTest {

    private static INDArray x() {
        return Nd4j.createFromArray(3.0, -4.0, 0.5, 12.0);
    }

    @Test
    void unsquaredAndSquaredL2GradientsAreTheirClosedForms() {
        INDArray x = x();
        double norm = Math.sqrt(9 + 16 + 0.25 + 144);
        INDArray g = Norm.L2.gradient(x);
        for (int i = 0; i < 4; i++) {
            assertEquals(x.getDouble(i) / norm, g.getDouble(i), 1e-16);
        }
        assertEquals(1, Norm.L2.of(g), 1e-15);
        assertEquals(x.mul(2), Norm.squaredL2Gradient(x));
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 3), Norm.L2.gradient(Nd4j.zeros(DataType.DOUBLE, 3)));
        assertEquals(Nd4j.createFromArray(1.0, -1.0, 1.0, 1.0), Norm.L1.gradient(x));
    }

    @Test
    void gradientsMatchCentredDifferences() {
        check(x(), Norm.L2::of, Norm.L2.gradient(x()));
        check(x(), v -> Math.pow(Norm.L2.of(v), 2), Norm.squaredL2Gradient(x()));
        check(x(), Norm.L1::of, Norm.L1.gradient(x()));
        Penalty p = new Penalty(0.1, 0.2, 0.3);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 4);
        double value = p.addGradientInPlace(x(), g);
        assertEquals(0.1 * 19.5 + 0.2 * 169.25 + 0.3 * Math.sqrt(169.25), value, 1e-12);
        check(x(), p::value, g);
    }

    private static void check(INDArray x, ToDoubleFunction<INDArray> f, INDArray analytic) {
        double h = 1e-6;
        for (int i = 0; i < x.length(); i++) {
            double orig = x.getDouble(i);
            x.putScalar(i, orig + h);
            double plus = f.applyAsDouble(x);
            x.putScalar(i, orig - h);
            double minus = f.applyAsDouble(x);
            x.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(i);
            assertTrue(Math.abs(a - numeric) <= 1e-7 * Math.max(1, Math.abs(a)), i + ": analytic " + a + " numeric "
                    + numeric);
        }
    }
}
