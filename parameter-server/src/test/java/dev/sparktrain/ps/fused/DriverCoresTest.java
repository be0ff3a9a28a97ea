package dev.sparktrain.ps.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Passes over blocks on the driver's cores: each block once, failures reach the caller. */
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
}
