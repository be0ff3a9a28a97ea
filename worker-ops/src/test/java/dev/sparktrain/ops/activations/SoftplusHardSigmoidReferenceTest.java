package dev.sparktrain.ops.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.ops.config.Options;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Softplus with β and threshold, and both forms of hard sigmoid, against closed forms in double. */
class SoftplusHardSigmoidReferenceTest {

    /** log(1 + e^t) in double: log1p(e^t) for t ≤ 0 is exact to the last bits, and t + log1p(e^−t) above. */
    private static double softplus(double t) {
        return t <= 0 ? Math.log1p(Math.exp(t)) : t + Math.log1p(Math.exp(-t));
    }

    @Test
    void softplusKeepsFullRelativePrecisionInTheNegativeTail() {
        double[] z = {-30, -50, -100, -700, -5, 0, 5, 19.9, 30};
        INDArray y = new Softplus().forward(Nd4j.createFromArray(z));
        for (int i = 0; i < z.length; i++) {
            double exact = z[i] > 20 ? z[i] : softplus(z[i]);
            // e^−30 ≈ 9.36e−14: the value itself, to double precision (ND4J's native log1p was ~1e−3 off here).
            assertEquals(exact, y.getDouble(i), Math.abs(exact) * 1e-14, "softplus(" + z[i] + ")");
        }
        assertEquals(Math.exp(-30), y.getDouble(0), Math.exp(-30) * 1e-13);
        // float32 inputs: correctly rounded to float (relative 6e−8), not flushed to 0 or off by 1e−3.
        INDArray f = new Softplus().forward(Nd4j.createFromArray(-30f, -80f));
        assertEquals((float) Math.exp(-30), f.getFloat(0), Math.ulp((float) Math.exp(-30)));
        assertEquals((float) Math.exp(-80), f.getFloat(1), Math.ulp((float) Math.exp(-80)));
    }

    @Test
    void softplusWithBetaAndThresholdIsPyTorchs() {
        Softplus s = new Softplus(2, 5);
        double[] z = {-20, -1, 0, 0.3, 2.49, 2.51, 10};
        INDArray y = s.forward(Nd4j.createFromArray(z));
        INDArray d = s.backward(Nd4j.createFromArray(z), y, Nd4j.ones(DataType.DOUBLE, z.length));
        for (int i = 0; i < z.length; i++) {
            double t = 2 * z[i];
            double expected = t > 5 ? z[i] : softplus(t) / 2;
            double slope = t > 5 ? 1 : 1 / (1 + Math.exp(-t));
            assertEquals(expected, y.getDouble(i), Math.abs(expected) * 1e-14 + 1e-300, "value at " + z[i]);
            assertEquals(slope, d.getDouble(i), 1e-15, "slope at " + z[i]);
        }
        assertEquals(new Softplus(2, 5), Activations.create(new Options("layer", Map.of("activation",
                Map.of("type", "softplus", "beta", 2, "threshold", 5))), "activation", "identity"));
        assertEquals(new Softplus(1, 20), Activations.byName("softplus"));
        assertThrows(IllegalArgumentException.class, () -> new Softplus(0, 20));
    }

    @Test
    void hardSigmoidInBothForms() {
        double[] z = {-4, -2.6, -2.4, -1, 0, 1, 2.4, 2.6, 3.5};
        INDArray in = Nd4j.createFromArray(z);
        INDArray pytorch = new HardSigmoid().forward(in);
        INDArray keras = HardSigmoid.keras2().forward(in);
        INDArray kerasSlope = HardSigmoid.keras2().backward(in, keras, Nd4j.ones(DataType.DOUBLE, z.length));
        for (int i = 0; i < z.length; i++) {
            assertEquals(Math.min(6, Math.max(0, z[i] + 3)) / 6, pytorch.getDouble(i), 1e-15, "relu6(z + 3)/6");
            assertEquals(Math.min(1, Math.max(0, 0.2 * z[i] + 0.5)), keras.getDouble(i), 1e-15, "clip(0.2z + 0.5)");
            assertEquals(Math.abs(z[i]) < 2.5 ? 0.2 : 0, kerasSlope.getDouble(i), 1e-15, "slope at " + z[i]);
        }
        assertEquals(HardSigmoid.keras2(), Activations.create(new Options("layer", Map.of("activation",
                Map.of("type", "hard_sigmoid", "slope", 0.2))), "activation", "identity"));
        assertEquals(new HardSigmoid(1.0 / 6, 0.5), Activations.byName("hard_sigmoid"));
    }
}
