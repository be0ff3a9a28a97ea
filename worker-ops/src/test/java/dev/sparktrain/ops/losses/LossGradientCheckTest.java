package dev.sparktrain.ops.losses;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every loss's gradient against centred differences of its weighted batch loss, in double. */
class LossGradientCheckTest {

    static final long B = 5;
    static final long C = 4;

    static INDArray classIndices() {
        return Nd4j.createFromArray(0.0, 3.0, 1.0, 2.0, 3.0);
    }

    static INDArray oneHot() {
        return Nd4j.eye(C).castTo(DataType.DOUBLE).getRows(0, 3, 1, 2, 3);
    }

    static Stream<Arguments> cases() {
        Nd4j.getRandom().setSeed(7);
        INDArray targets = Nd4j.randn(DataType.DOUBLE, B, C);
        INDArray binary = Nd4j.rand(DataType.DOUBLE, B, C).gt(0.5).castTo(DataType.DOUBLE);
        INDArray soft = Nd4j.rand(DataType.DOUBLE, B, C);
        return Stream.of(
                Arguments.of(new MeanSquaredError(), targets, false),
                Arguments.of(new MeanAbsoluteError(), targets, false),
                Arguments.of(new Huber(0.7), targets, false),
                Arguments.of(new BinaryCrossEntropy(), soft, true),
                Arguments.of(new BinaryCrossEntropyWithLogits(), soft, false),
                Arguments.of(new BinaryCrossEntropyWithLogits(), binary, false),
                Arguments.of(new SoftmaxCrossEntropy(), classIndices(), false),
                Arguments.of(new SoftmaxCrossEntropy(0.2), classIndices(), false),
                Arguments.of(new SoftmaxCrossEntropy(0.1), oneHot(), false),
                Arguments.of(new NegativeLogLikelihood(), classIndices(), false),
                Arguments.of(new MultiClassHinge(false), classIndices(), false),
                Arguments.of(new MultiClassHinge(true), oneHot(), false),
                Arguments.of(new SigmoidFocal(0.25, 2), binary, false),
                Arguments.of(new SigmoidFocal(-1, 0.5), soft, false),
                Arguments.of(new SoftmaxFocal(1, 2), classIndices(), false),
                Arguments.of(new SoftmaxFocal(0.5, 0.7), oneHot(), false),
                Arguments.of(new SigmoidFocal(java.util.List.of(0.1, 0.5, 0.9, 0.3), 2), binary, false),
                Arguments.of(new SigmoidFocal(java.util.List.of(0.8, 0.0, 1.0, 0.25), 0.5), soft, false),
                Arguments.of(new SoftmaxFocal(java.util.List.of(0.25, 1.0, 2.0, 0.5), 2), classIndices(), false),
                Arguments.of(new SoftmaxFocal(java.util.List.of(0.25, 1.0, 2.0, 0.0), 0.7), oneHot(), false));
    }

    @ParameterizedTest(autoCloseArguments = false) // INDArray is AutoCloseable: keep the shared labels open
    @MethodSource("cases")
    void gradientMatchesCentredDifferences(Loss loss, INDArray labels, boolean probabilities) {
        Nd4j.getRandom().setSeed(11);
        INDArray out = probabilities ? Nd4j.rand(DataType.DOUBLE, B, C).muli(0.9).addi(0.05)
                : Nd4j.randn(DataType.DOUBLE, B, C).muli(2);
        INDArray weights = Nd4j.createFromArray(1.0, 0.5, 2.0, 0.0, 1.5);
        INDArray analytic = loss.compute(out, labels, weights).gradient();
        double h = 1e-6;
        for (long i = 0; i < out.length(); i++) {
            double orig = out.getDouble(i);
            out.putScalar(i, orig + h);
            double plus = loss.compute(out, labels, weights).loss();
            out.putScalar(i, orig - h);
            double minus = loss.compute(out, labels, weights).loss();
            out.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(i);
            double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-5); // absolute floor: gradients below it are noise
            assertTrue(err < 1e-5, loss + " element " + i + ": analytic " + a + " numeric " + numeric);
        }
    }
}
