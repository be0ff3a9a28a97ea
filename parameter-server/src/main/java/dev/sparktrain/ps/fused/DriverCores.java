package dev.sparktrain.ps.fused;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The driver's cores for its passes over parameter-sized vectors: the calling thread and a few helper threads (one
 * fewer than the JVM's processors, at most {@value #MAX_HELPERS}) take a pass's blocks from a shared counter until
 * none is left. Which thread runs which block depends on timing, so a pass must give the same result for any split:
 * each block writes only its own elements and its own partial sums ({@link BlockPass}). In Spark's local mode the
 * helpers run on the cores the workers leave idle while the driver updates.
 * <p>A helper that has finished a pass spins for {@value #SPIN_NANOS} ns (a round's update makes several passes in a
 * row) and then parks until the next pass wakes it. One pass runs at a time; a pass started while another runs
 * (two trainers in one JVM) runs on its caller's thread alone.
 * <p>Threads that wait for the driver in its JVM (local mode's workers, waiting for their next task) can lend their
 * cores instead ({@link #lending}): they are awake already, where a parked helper takes a wake-up to start and then
 * competes with them for the cores. While any such thread waits, a pass wakes no helper.
 */
public final class DriverCores {

    /** A pass over blocks 0 .. n − 1; {@link #run} may be called on any thread, for each block exactly once. */
    @FunctionalInterface
    public interface BlockPass {
        void run(int block);
    }

    private static final int MAX_HELPERS = 7;
    private static final long SPIN_NANOS = 20_000;
    /**
     * JVM property: the threads a pass runs on, the caller's included (default: the JVM's processors, at most
     * {@value #MAX_HELPERS} + 1); 1 runs every pass on its caller alone, e.g. to measure what the helpers bring.
     */
    public static final String THREADS_PROPERTY = "sparktrain.driver.threads";
    private static DriverCores shared;

    private final Thread[] helpers;
    private final AtomicReference<Job> current = new AtomicReference<>();
    private final ReentrantLock running = new ReentrantLock();
    /** Threads waiting in this JVM that take blocks of any pass ({@link Lending}). */
    private final AtomicInteger lenders = new AtomicInteger();

    /** One pass: its blocks, the next one to take, how many are done, the first failure. */
    private static final class Job {
        private final BlockPass pass;
        private final int blocks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread owner;

        Job(BlockPass pass, int blocks, Thread owner) {
            this.pass = pass;
            this.blocks = blocks;
            this.owner = owner;
        }

        /** Takes and runs blocks until none is left. */
        void work() {
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        pass.run(b);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (done.incrementAndGet() == blocks) {
                        LockSupport.unpark(owner);
                    }
                }
            }
        }
    }

    private DriverCores(int helperCount) {
        helpers = new Thread[Math.max(0, helperCount)];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Thread(this::serve, "sparktrain-driver-core-" + (i + 1));
            helpers[i].setDaemon(true);
            helpers[i].start();
        }
    }

    /** Helper threads for a {@value #THREADS_PROPERTY} setting (null: the default). */
    static int helpers(String threads) {
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads == null) {
            return Math.min(MAX_HELPERS, processors - 1);
        }
        try {
            int n = Integer.parseInt(threads.trim());
            if (n >= 1 && n <= MAX_HELPERS + 1) {
                return n - 1;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + " must be a whole number in [1, " + (MAX_HELPERS + 1)
                + "], got '" + threads + "'");
    }

    /** This JVM's driver cores, started on first use; a bad {@value #THREADS_PROPERTY} is refused here. */
    public static synchronized DriverCores shared() {
        if (shared == null) {
            shared = new DriverCores(helpers(System.getProperty(THREADS_PROPERTY)));
        }
        return shared;
    }

    /** A waiting thread's offer of its core to the passes, from {@link #lending()} until it is closed. */
    public final class Lending implements AutoCloseable {
        private boolean open = true;

        private Lending() {
            lenders.incrementAndGet();
        }

        /** Runs blocks of the pass in progress until none is left to take; false at once when there is none. */
        public boolean lend() {
            Job job = current.get();
            if (job == null || job.next.get() >= job.blocks) {
                return false;
            }
            job.work();
            return true;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                lenders.decrementAndGet();
            }
        }
    }

    /** Starts lending the calling thread's core to the passes while it waits ({@link Lending#lend}). */
    public Lending lending() {
        return new Lending();
    }

    /** Threads a pass can run on at once, the caller's included. */
    public int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code pass} on blocks 0 .. {@code blocks} − 1 and returns when every block has run. */
    public void forEachBlock(int blocks, BlockPass pass) {
        if (blocks <= 1 || helpers.length == 0 || !running.tryLock()) {
            for (int b = 0; b < blocks; b++) {
                pass.run(b);
            }
            return;
        }
        try {
            Job job = new Job(pass, blocks, Thread.currentThread());
            current.set(job);
            if (lenders.get() == 0) {
                for (Thread helper : helpers) {
                    LockSupport.unpark(helper);
                }
            }
            job.work();
            // The helpers' last blocks are microseconds away; the one that ends the pass unparks this thread.
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (job.done.get() < blocks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            current.compareAndSet(job, null);
            Throwable failure = job.failure.get();
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            running.unlock();
        }
    }

    private void serve() {
        Job last = null;
        while (true) {
            Job job = current.get();
            if (job != null && job != last) {
                last = job;
                job.work();
                continue;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while ((job = current.get()) == null || job == last) {
                if (System.nanoTime() > spinUntil) {
                    LockSupport.park(this);
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
