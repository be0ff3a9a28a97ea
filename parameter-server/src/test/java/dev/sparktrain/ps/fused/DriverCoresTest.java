package dev.sparktrain.ps.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Passes over blocks on the driver's cores: each block once, failures reach the caller, sums in a fixed order. */
class DriverCoresTest {

    @Test
    void everyBlockRunsExactlyOncePassAfterPass() {
        DriverCores cores = DriverCores.shared();
        for (int pass = 0; pass < 500; pass++) {
            int blocks = 1 + pass % 40;
            AtomicIntegerArray runs = new AtomicIntegerArray(blocks);
            cores.forEachBlock(blocks, runs::incrementAndGet);
            for (int b = 0; b < blocks; b++) {
                assertEquals(1, runs.get(b), "pass " + pass + ", block " + b);
            }
        }
    }

    @Test
    void aFailingBlockFailsThePassOnItsCaller() {
        IllegalStateException boom = new IllegalStateException("block 17");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> DriverCores.shared().forEachBlock(40, b -> {
                    if (b == 17) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        // The next pass runs normally.
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        DriverCores.shared().forEachBlock(3, runs::incrementAndGet);
        assertEquals(1, runs.get(2));
    }

    @Test
    void theThreadSettingIsAWholeNumberOfThreads() {
        assertEquals(0, DriverCores.helpers("1"));
        assertEquals(3, DriverCores.helpers(" 4 "));
        for (String bad : new String[] {"0", "9", "two"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DriverCores.helpers(bad));
            assertEquals("sparktrain.driver.threads must be a whole number in [1, 8], got '" + bad + "'",
                    e.getMessage());
        }
    }

    @Test
    void normsAreBlockSumsInBlockOrderOfDoubleSquares() {
        Random random = new Random(1);
        float[] values = new float[5 * UpdatePasses.BLOCK + 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian() * 10));
        }
        double expected = 0;
        for (int from = 0; from < values.length; from += UpdatePasses.BLOCK) {
            expected += Squares.of(values, from, Math.min(values.length, from + UpdatePasses.BLOCK) - from);
        }
        double norm = UpdatePasses.norm2(values);
        assertEquals(Math.sqrt(expected), norm, 0);
        assertEquals(norm, UpdatePasses.norm2(Nd4j.createFromArray(values)), 0);
        for (int run = 0; run < 50; run++) {
            assertEquals(norm, UpdatePasses.norm2(values), 0, "the same bits on every run");
        }
        values[values.length - 1] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, UpdatePasses.norm2(values));
    }
}
