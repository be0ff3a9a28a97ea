package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.aggregate.WirePrecision;
import org.junit.jupiter.api.Test;

/** What rounding leaves out of one round's pseudo-gradient goes into the next: nothing is lost, only delayed. */
class ErrorFeedbackTest {

    @Test
    void theResidualIsExactlyWhatWasNotSent() {
        float[] start = {1f, -3f, 0.3f};
        float[] end = {0.9f, -2.9993f, 0.29f};
        float[] residual = {1e-4f, -2e-5f, 0f};
        ErrorFeedback.Rounded r = ErrorFeedback.round(start, end, residual, WirePrecision.BF16);
        for (int i = 0; i < start.length; i++) {
            float d = (start[i] - end[i]) + residual[i];
            assertEquals(d, WirePrecision.BF16.decode(r.bits()[i]) + r.residual()[i], 0f);
        }
    }

    /** Sends the same pseudo-gradient {@code rounds} times, with or without feeding the residual back. */
    private static double totalSent(float pseudoGradient, int rounds, boolean feedback, WirePrecision precision) {
        float[] residual = null;
        double total = 0;
        for (int t = 0; t < rounds; t++) {
            ErrorFeedback.Rounded r = ErrorFeedback.round(new float[] {pseudoGradient}, new float[] {0f},
                    feedback ? residual : null, precision);
            total += precision.decode(r.bits()[0]);
            residual = r.residual();
        }
        return total;
    }

    @Test
    void overManyRoundsTheSentTotalFollowsTheTrueTotal() {
        // 1.001 is 1.0 in bf16: without feedback every round loses 0.001, with it the losses are sent later.
        int rounds = 1000;
        double truth = 1.001f * (double) rounds;
        double withFeedback = totalSent(1.001f, rounds, true, WirePrecision.BF16);
        double without = totalSent(1.001f, rounds, false, WirePrecision.BF16);
        assertEquals(truth, withFeedback, 1.0 / 256, "with feedback, the total is off by at most one residual");
        assertEquals(rounds, without, 0.0);
        assertTrue(Math.abs(truth - without) > 0.9);
        // fp16 below its smallest subnormal: without feedback nothing is ever sent.
        assertEquals(0.0, totalSent(2e-8f, rounds, false, WirePrecision.FP16), 0.0);
        assertEquals(2e-8 * rounds, totalSent(2e-8f, rounds, true, WirePrecision.FP16), 1e-7);
    }
}
