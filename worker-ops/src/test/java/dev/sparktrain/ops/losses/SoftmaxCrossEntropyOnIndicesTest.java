package dev.sparktrain.ops.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Softmax cross-entropy's Java-heap path for class indices against its general path (the same labels as one-hot
 * rows, which take the native ops), and its label checks.
 */
class SoftmaxCrossEntropyOnIndicesTest {

    private static final SoftmaxCrossEntropy LOSS = new SoftmaxCrossEntropy();

    private static INDArray oneHot(int[] classes, int width, DataType type) {
        INDArray t = Nd4j.zeros(type, classes.length, width);
        for (int i = 0; i < classes.length; i++) {
            t.putScalar(i, classes[i], 1);
        }
        return t;
    }

    private static void assertSameAsGeneralPath(INDArray logits, int[] classes, double tolerance) {
        DataType type = logits.dataType();
        INDArray before = logits.dup();
        INDArray indices = Nd4j.createFromArray(classes).castTo(type);
        LossResult general = LOSS.compute(logits, oneHot(classes, (int) logits.size(1), type));
        for (INDArray labels : new INDArray[] {indices, indices.reshape(classes.length, 1)}) {
            LossResult lean = LOSS.compute(logits, labels);
            assertEquals(general.loss(), lean.loss(), tolerance * Math.max(1, Math.abs(general.loss())));
            assertEquals(type, lean.gradient().dataType());
            assertTrue(lean.gradient().equalsWithEps(general.gradient(), tolerance), lean.gradient() + " vs "
                    + general.gradient());
        }
        assertEquals(before, logits, "logits modified");
    }

    @Test
    void equalsTheGeneralPathInFloatAndDouble() {
        int[] classes = {3, 0, 9, 9, 1, 5, 2, 7};
        Nd4j.getRandom().setSeed(4);
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 8, 10).muli(4);
        assertSameAsGeneralPath(logits, classes, 1e-12);
        assertSameAsGeneralPath(logits.castTo(DataType.FLOAT), classes, 1e-6);
    }

    @Test
    void theGradientGoesIntoTheCallersArrayWhenItIsFloatOfTheLogitsShape() {
        Nd4j.getRandom().setSeed(5);
        INDArray logits = Nd4j.randn(DataType.FLOAT, 4, 10);
        INDArray labels = Nd4j.createFromArray(2f, 0f, 9f, 4f);
        LossResult fresh = LOSS.compute(logits, labels);
        INDArray reuse = Nd4j.valueArrayOf(new long[] {4, 10}, Float.NaN, DataType.FLOAT);
        LossResult reused = LOSS.compute(logits, labels, null, reuse);
        assertSame(reuse, reused.gradient());
        assertEquals(fresh.gradient(), reuse);
        assertEquals(fresh.loss(), reused.loss());

        // The leading rows of a larger array (what a network keeps for an epoch's last, smaller batch) are written in
        // place too, and the rows after them are left alone.
        INDArray larger = Nd4j.valueArrayOf(new long[] {6, 10}, Float.NaN, DataType.FLOAT);
        INDArray leading = larger.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        LossResult inView = LOSS.compute(logits, labels, null, leading);
        assertSame(leading, inView.gradient());
        assertEquals(fresh.gradient(), leading);
        assertTrue(larger.get(NDArrayIndex.interval(4, 6), NDArrayIndex.all()).isNaN().all());

        // Another shape or type is left alone: the result is a new array.
        INDArray wrongShape = Nd4j.zeros(DataType.FLOAT, 5, 10);
        INDArray wrongType = Nd4j.zeros(DataType.DOUBLE, 4, 10);
        for (INDArray other : new INDArray[] {wrongShape, wrongType}) {
            INDArray before = other.dup();
            LossResult r = LOSS.compute(logits, labels, null, other);
            assertNotSame(other, r.gradient());
            assertEquals(fresh.gradient(), r.gradient());
            assertEquals(before, other);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        INDArray logits = Nd4j.createFromArray(new float[][] {{1000, -1000, 0}, {-1000, -1000, -1000}});
        LossResult r = LOSS.compute(logits, Nd4j.createFromArray(1f, 2f));
        assertEquals((2000 + Math.log(3)) / 2, r.loss(), 1e-3);
        assertTrue(r.gradient().equalsWithEps(Nd4j.createFromArray(new float[][] {{0.5f, -0.5f, 0}, {1 / 6f, 1 / 6f,
            -1 / 3f}}), 1e-6), r.gradient().toString());
    }

    @Test
    void viewsAndColumnMajorLogitsAreRead() {
        Nd4j.getRandom().setSeed(6);
        INDArray big = Nd4j.randn(DataType.FLOAT, 12, 10);
        int[] classes = {0, 1, 2, 3, 4};
        assertSameAsGeneralPath(big.get(NDArrayIndex.interval(3, 8), NDArrayIndex.all()), classes, 1e-6);
        assertSameAsGeneralPath(big.get(NDArrayIndex.interval(0, 5), NDArrayIndex.interval(2, 7)), classes, 1e-6);
        assertSameAsGeneralPath(big.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()).dup('f'), classes, 1e-6);
    }

    @Test
    void labelsAreCheckedWithTheSameMessages() {
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LOSS.compute(logits, Nd4j.createFromArray(0f, 3f)));
        assertEquals("softmax_cross_entropy: class labels must be in [0, 2], got values in [0.0, 3.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LOSS.compute(logits, Nd4j.createFromArray(-1.0, 1.0)));
        assertEquals("softmax_cross_entropy: class labels must be in [0, 2], got values in [-1.0, 1.0]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LOSS.compute(logits, Nd4j.createFromArray(0.5f, 1f)));
        assertTrue(e.getMessage().startsWith("softmax_cross_entropy: class labels must be whole numbers, got "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LOSS.compute(logits, Nd4j.createFromArray(Float.NaN,
                1f)));
        assertTrue(e.getMessage().contains("whole numbers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LOSS.compute(logits, Nd4j.zeros(DataType.FLOAT, 3)));
        assertTrue(e.getMessage().startsWith("softmax_cross_entropy: labels of shape [3] do not fit output of shape "
                + "[2, 3]"), e.getMessage());
        assertEquals(2, LOSS.compute(logits, Nd4j.createFromArray(2, 0)).gradient().size(0), "int labels");
    }
}
