package dev.sparktrain.driver.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** 16-bit rounding of pseudo-gradients: exact values round-trip, others go to the nearest, ties to even. */
class WirePrecisionTest {

    @Test
    void valuesThatFitRoundTripExactly() {
        for (WirePrecision p : new WirePrecision[] {WirePrecision.BF16, WirePrecision.FP16}) {
            for (float v : new float[] {0f, -0f, 1f, -2.5f, 0.125f, 3f, -1024f, 0.0078125f}) {
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(p.decode(p.encode(v))), p + " " + v);
            }
            assertTrue(Float.isNaN(p.decode(p.encode(Float.NaN))));
            assertEquals(Float.POSITIVE_INFINITY, p.decode(p.encode(Float.POSITIVE_INFINITY)));
        }
    }

    @Test
    void tiesGoToEvenAndOtherValuesToTheNearest() {
        // bf16 keeps 8 significant bits: 1 + 3/256 lies halfway between 1 + 2/256 and 1 + 4/256 (even).
        assertEquals(1f + 4f / 256, WirePrecision.BF16.decode(WirePrecision.BF16.encode(1f + 3f / 256)));
        assertEquals(1f + 0f / 256, WirePrecision.BF16.decode(WirePrecision.BF16.encode(1f + 1f / 256)));
        assertEquals(1f + 2f / 256, WirePrecision.BF16.decode(WirePrecision.BF16.encode(1f + 1.01f / 256)));
        // fp16 keeps 11: 1 + 3/2048 is a tie between 1 + 2/2048 (even) and 1 + 4/2048.
        assertEquals(1f + 4f / 2048, WirePrecision.FP16.decode(WirePrecision.FP16.encode(1f + 3f / 2048)));
        assertEquals(1f + 0f / 2048, WirePrecision.FP16.decode(WirePrecision.FP16.encode(1f + 1f / 2048)));
        // Below fp16's normal range the grid is 2^-24: 3·2^-25 is a tie between 2^-24 (odd) and 2·2^-24 (even).
        assertEquals(0x1p-23f, WirePrecision.FP16.decode(WirePrecision.FP16.encode(0x3p-25f)));
        assertEquals(65504f, WirePrecision.FP16.decode(WirePrecision.FP16.encode(65519f)));
        assertEquals(Float.POSITIVE_INFINITY, WirePrecision.FP16.decode(WirePrecision.FP16.encode(65520f)));
    }

    @Test
    void everyRoundedValueIsTheNearestOfItsNeighbours() {
        Random random = new Random(3);
        for (WirePrecision p : new WirePrecision[] {WirePrecision.BF16, WirePrecision.FP16}) {
            for (int i = 0; i < 20_000; i++) {
                float v = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6) - 4));
                short q = p.encode(v);
                float error = Math.abs(v - p.decode(q));
                for (int step = -1; step <= 1; step += 2) {
                    float neighbour = p.decode((short) (q + step));
                    assertTrue(error <= Math.abs(v - neighbour), p + ": " + v + " rounded to " + p.decode(q)
                            + ", but " + neighbour + " is nearer");
                }
            }
        }
    }
}
