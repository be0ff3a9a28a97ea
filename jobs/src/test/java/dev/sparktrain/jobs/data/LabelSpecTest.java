package dev.sparktrain.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelSpecTest {

    @Test
    void classificationAcceptsWholeClassIndicesOnly() {
        LabelSpec c = LabelSpec.classification(10);
        assertNull(c.problem(0));
        assertNull(c.problem(9));
        assertEquals("label 10 is not a class index, expected a whole number in [0, 9]", c.problem(10));
        assertEquals("label -1 is not a class index, expected a whole number in [0, 9]", c.problem(-1));
        assertEquals("label 2.5 is not a class index, expected a whole number in [0, 9]", c.problem(2.5f));
        assertEquals("label is NaN, expected a finite number", c.problem(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> LabelSpec.classification(1));
    }

    @Test
    void regressionAcceptsAnyFiniteValue() {
        assertNull(LabelSpec.regression().problem(-3.25f));
        assertEquals("label is Infinity, expected a finite number", LabelSpec.regression().problem(Float.POSITIVE_INFINITY));
    }

    @Test
    void binaryAcceptsTargetsInTheUnitInterval() {
        LabelSpec b = LabelSpec.binary();
        assertNull(b.problem(0));
        assertNull(b.problem(1));
        assertNull(b.problem(0.25f));
        assertEquals("label 2 is outside [0, 1], expected 0 or 1 for a binary loss", b.problem(2));
        assertEquals("label -1 is outside [0, 1], expected 0 or 1 for a binary loss", b.problem(-1));
        assertEquals("binary classification", b.toString());
    }

    @Test
    void sparkWrappedMessagesAreFound() {
        Exception wrapped = new RuntimeException("Job aborted: Task 1 failed: java.lang.IllegalArgumentException: "
                + "a.csv line 3: field 'x' is 'y', expected a number\n\tat somewhere");
        assertEquals("a.csv line 3: field 'x' is 'y', expected a number", TaskErrors.userMessage(wrapped));
        assertEquals("inner", TaskErrors.userMessage(new RuntimeException("outer", new IllegalArgumentException("inner"))));
    }
}
