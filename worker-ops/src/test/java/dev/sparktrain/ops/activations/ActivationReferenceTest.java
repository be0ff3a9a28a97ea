package dev.sparktrain.ops.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Element-wise activations against closed forms written here, near 0 and at ±50, and their derivatives. */
class ActivationReferenceTest {

    static final double[] POINTS = {-50, -7, -3.5, -1, -0.25, -1e-3, 1e-3, 0.25, 0.5, 1, 2, 3.5, 7, 50};

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Closed forms f(z) for every element-wise activation except exact GELU (tested by table below). */
    static final Map<String, DoubleUnaryOperator> F = Map.ofEntries(
            Map.entry("identity", z -> z),
            Map.entry("relu", z -> Math.max(0, z)),
            Map.entry("leaky_relu", z -> z > 0 ? z : 0.01 * z),
            Map.entry("elu", z -> z > 0 ? z : Math.expm1(z)),
            Map.entry("selu", z -> 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * Math.expm1(z))),
            Map.entry("gelu_tanh", z -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)))),
            Map.entry("silu", z -> z * sigmoid(z)),
            Map.entry("mish", z -> z * Math.tanh(softplus(z))),
            Map.entry("softplus", ActivationReferenceTest::softplus),
            Map.entry("sigmoid", ActivationReferenceTest::sigmoid),
            Map.entry("hard_sigmoid", z -> Math.min(1, Math.max(0, z / 6 + 0.5))),
            Map.entry("tanh", Math::tanh),
            Map.entry("hard_tanh", z -> Math.min(1, Math.max(-1, z))),
            Map.entry("softsign", z -> z / (1 + Math.abs(z))));

    /** Closed-form derivatives f'(z). */
    static final Map<String, DoubleUnaryOperator> D = Map.ofEntries(
            Map.entry("identity", z -> 1),
            Map.entry("relu", z -> z > 0 ? 1 : 0),
            Map.entry("leaky_relu", z -> z > 0 ? 1 : 0.01),
            Map.entry("elu", z -> z > 0 ? 1 : Math.exp(z)),
            Map.entry("selu", z -> 1.0507009873554805 * (z > 0 ? 1 : 1.6732632423543772 * Math.exp(z))),
            Map.entry("gelu_tanh", z -> {
                double k = Math.sqrt(2 / Math.PI);
                double t = Math.tanh(k * (z + 0.044715 * z * z * z));
                return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * k * (1 + 3 * 0.044715 * z * z);
            }),
            Map.entry("silu", z -> sigmoid(z) * (1 + z * (1 - sigmoid(z)))),
            Map.entry("mish", z -> {
                double t = Math.tanh(softplus(z));
                return t + z * (1 - t * t) * sigmoid(z);
            }),
            Map.entry("softplus", ActivationReferenceTest::sigmoid),
            Map.entry("sigmoid", z -> sigmoid(z) * (1 - sigmoid(z))),
            Map.entry("hard_sigmoid", z -> z > -3 && z < 3 ? 1.0 / 6 : 0),
            Map.entry("tanh", z -> 1 - Math.tanh(z) * Math.tanh(z)),
            Map.entry("hard_tanh", z -> z > -1 && z < 1 ? 1 : 0),
            Map.entry("softsign", z -> 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z)))));

    static Iterable<String> names() {
        return F.keySet();
    }

    @ParameterizedTest
    @MethodSource("names")
    void valuesAndDerivativesMatchClosedForms(String name) {
        Activation a = Activations.byName(name);
        INDArray z = Nd4j.createFromArray(POINTS);
        INDArray g = Nd4j.createFromArray(POINTS).muli(0.1).addi(0.7); // a non-trivial upstream gradient
        INDArray y = a.forward(z);
        INDArray dz = a.backward(z, y, g);
        for (int i = 0; i < POINTS.length; i++) {
            double p = POINTS[i];
            double want = F.get(name).applyAsDouble(p);
            assertEquals(want, y.getDouble(i), 1e-12 * Math.max(1, Math.abs(want)), name + "(" + p + ")");
            double wantGrad = D.get(name).applyAsDouble(p) * g.getDouble(i);
            assertEquals(wantGrad, dz.getDouble(i), 1e-12 * Math.max(1, Math.abs(wantGrad)), name + "'(" + p + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void finiteInFloatAtFifty(String name) {
        Activation a = Activations.byName(name);
        INDArray z = Nd4j.createFromArray(-50f, -20f, 0f, 20f, 50f);
        INDArray y = a.forward(z);
        INDArray dz = a.backward(z, y, Nd4j.onesLike(z));
        for (int i = 0; i < 5; i++) {
            assertTrue(Double.isFinite(y.getDouble(i)) && Double.isFinite(dz.getDouble(i)), name + " at " + z.getDouble(i));
            assertEquals(F.get(name).applyAsDouble(z.getDouble(i)), y.getDouble(i),
                    1e-6 * Math.max(1, Math.abs(y.getDouble(i))), name);
        }
    }

    static Iterable<String> allNames() {
        return Activations.names();
    }

    /** forwardInto / backwardInto write exactly what forward / backward return, over every element of the buffer. */
    @ParameterizedTest
    @MethodSource("allNames")
    void intoVariantsWriteWhatTheAllocatingOnesReturn(String name) {
        Activation a = Activations.byName(name);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(3);
            INDArray z = Nd4j.randn(type, 4, 6).muli(3);
            z.putScalar(1, 2, 0.0); // relu's kink
            INDArray g = Nd4j.randn(type, 4, 6);
            INDArray zCopy = z.dup();
            INDArray gCopy = g.dup();
            INDArray y = a.forward(z);
            INDArray out = Nd4j.valueArrayOf(z.shape(), Double.NaN, type);
            a.forwardInto(z, out);
            assertEquals(y, out, name + " forward " + type);
            INDArray dz = a.backward(z, y, g);
            INDArray gradOut = Nd4j.valueArrayOf(z.shape(), Double.NaN, type);
            a.backwardInto(z, y, g, gradOut);
            assertEquals(dz, gradOut, name + " backward " + type);
            assertEquals(zCopy, z, name + " modified z");
            assertEquals(gCopy, g, name + " modified gradY");
        }
    }

    @Test
    void exactGeluMatchesNormalCdfTable() {
        // Φ(x) from standard normal tables: Φ(0.5)=0.6914624612740131, Φ(1)=0.8413447460685429, Φ(2)=0.9772498680518208.
        double[] x = {-2, -1, -0.5, 0, 0.5, 1, 2, 50, -50};
        double[] phi = {1 - 0.9772498680518208, 1 - 0.8413447460685429, 1 - 0.6914624612740131, 0.5,
            0.6914624612740131, 0.8413447460685429, 0.9772498680518208, 1, 0};
        Activation gelu = Activations.byName("gelu");
        INDArray z = Nd4j.createFromArray(x);
        INDArray y = gelu.forward(z);
        INDArray dz = gelu.backward(z, y, Nd4j.onesLike(z));
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * phi[i], y.getDouble(i), 1e-12, "gelu(" + x[i] + ")");
            double density = Math.exp(-x[i] * x[i] / 2) / Math.sqrt(2 * Math.PI);
            assertEquals(phi[i] + x[i] * density, dz.getDouble(i), 1e-12, "gelu'(" + x[i] + ")");
        }
    }

    @Test
    void geluVariantsDifferButAreClose() {
        INDArray z = Nd4j.createFromArray(1.0);
        double exact = Activations.byName("gelu").forward(z).getDouble(0);
        double approx = Activations.byName("gelu_tanh").forward(z).getDouble(0);
        assertTrue(exact != approx && Math.abs(exact - approx) < 1e-3, exact + " vs " + approx);
    }

    @Test
    void swishIsSilu() {
        assertEquals(new Silu(), Activations.byName("swish"));
        assertEquals(DataType.DOUBLE, Activations.byName("silu").forward(Nd4j.createFromArray(1.0)).dataType());
    }
}
