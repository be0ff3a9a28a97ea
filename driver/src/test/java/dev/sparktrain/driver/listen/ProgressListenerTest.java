package dev.sparktrain.driver.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {

    private static String[] run(int epochs, int rounds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             ProgressListener listener = new ProgressListener(out, false)) {
            for (int e = 1; e <= epochs; e++) {
                for (int r = 0; r < rounds; r++) {
                    listener.onRound(TestRounds.round(e, r, rounds, 100, 1.0 / e, 0.1, 0.5));
                }
                listener.onEpoch(new EpochMetrics(e, epochs, rounds, 100L * rounds, 1.0 / e, 0.5 * rounds, 0,
                        OptionalDouble.empty(), OptionalDouble.empty()));
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? new String[0] : text.split("\n");
    }

    @Test
    void plainModePrintsOneLinePerTenthOfAnEpoch() {
        String[] lines = run(2, 100);
        assertEquals(20, lines.length);
        assertEquals("epoch 1  round 10/100 (10%)  loss 1.0000  200 samples/s so far", lines[0]);
        assertEquals("epoch 1  round 100/100 (100%)  loss 1.0000  200 samples/s so far", lines[9]);
        assertEquals("epoch 2  round 10/100 (10%)  loss 0.5000  200 samples/s so far", lines[10]);
        for (String line : lines) {
            assertTrue(!line.contains("\r"), "plain lines must not redraw: " + line);
        }
    }

    @Test
    void plainModeWithFewRoundsPrintsEveryRound() {
        String[] lines = run(1, 3);
        assertEquals(3, lines.length);
        assertEquals("epoch 1  round 1/3 (33%)  loss 1.0000  200 samples/s so far", lines[0]);
        assertEquals("epoch 1  round 3/3 (100%)  loss 1.0000  200 samples/s so far", lines[2]);
    }

    @Test
    void lossIsSampleWeightedWithinTheEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressListener listener = new ProgressListener(out, false);
        listener.onRound(TestRounds.round(1, 0, 2, 300, 1.0, 0.1, 1.0));
        listener.onRound(TestRounds.round(1, 1, 2, 100, 3.0, 0.1, 1.0));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("epoch 1  round 2/2 (100%)  loss 1.5000  200 samples/s so far", lines[1]);
    }

    @Test
    void interactiveModeDrawsABarWithTheLoss() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             ProgressListener listener = new ProgressListener(out, true)) {
            for (int r = 0; r < 4; r++) {
                listener.onRound(TestRounds.round(1, r, 4, 100, 0.25, 0.1, 0.5));
            }
            listener.onEpoch(new EpochMetrics(1, 1, 4, 400, 0.25, 2, 0, OptionalDouble.empty(),
                    OptionalDouble.empty()));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 1"), text);
        assertTrue(text.contains("4/4"), text);
        assertTrue(text.contains("loss 0.2500"), text);
    }
}
