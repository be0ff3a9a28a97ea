package dev.sparktrain.driver.exchange;

import dev.sparktrain.ps.fused.DriverCores;
import java.util.function.Supplier;

/**
 * One waiting end of a link: the running mean of its idle waits, and its spin. Used by one thread at a time.
 * A wait's time lent to the driver's passes is work, not idleness: it counts neither in the spin nor in the mean.
 */
final class SpinningWait {

    private long meanNanos;
    /** The time the current wait has lent to the driver's passes. */
    private long lentNanos;

    /**
     * Adds a wait that began at {@code start} to the running mean (weight 1/8: a few rounds follow a change of
     * pace), counting a long wait (between blocks, an evaluation) as twice the spin: long enough to stop spinning,
     * short enough to start again within a few rounds once the waits are short.
     */
    void record(long start, long spinNanos) {
        long idle = System.nanoTime() - start - lentNanos;
        meanNanos += (Math.min(idle, 2 * spinNanos) - meanNanos) / 8;
    }

    /**
     * {@code take}'s first non-null value within {@code spinNanos} of not lending, when the waits have been that
     * short lately; else null at once. With {@code cores} (null: none), the spin runs the blocks of the driver's passes
     * as they come. Yields every few checks: on a machine with fewer cores than runnable threads, the thread it
     * waits for may need this core.
     */
    <T> T spin(Supplier<T> take, long spinNanos, DriverCores cores) {
        lentNanos = 0;
        T message = take.get();
        if (message != null || spinNanos == 0 || meanNanos > spinNanos) {
            return message;
        }
        try (DriverCores.Lending lending = cores == null ? null : cores.lending()) {
            long until = System.nanoTime() + spinNanos;
            for (int checks = 1; ; checks++) {
                long before = System.nanoTime();
                if (lending != null && lending.lend()) {
                    long lent = System.nanoTime() - before;
                    lentNanos += lent;
                    until += lent;
                } else if ((checks & 15) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                message = take.get();
                if (message != null || System.nanoTime() - until > 0) {
                    return message;
                }
            }
        }
    }
}
