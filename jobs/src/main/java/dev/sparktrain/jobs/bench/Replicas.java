package dev.sparktrain.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the same timed loop on N threads at once, one replica per core as executors' task threads run, and returns
 * the total work per second: each replica sets itself up, all start together after a warm-up, and each counts
 * the work units it completes until the deadline. The warm-up lasts until the replica's thread has had the warm-up's
 * time on a core, not just on the clock: on a machine that other processes load, a replica given a tenth of a core
 * would otherwise be measured while its Java loops still run interpreted (docs/performance.md).
 */
final class Replicas {

    /** One replica's loop: set-up happens before {@link #runUnit}, which does one unit of work and returns its size. */
    interface Replica {
        double runUnit();
    }

    interface Factory {
        Replica create(int index);
    }

    private Replicas() {
    }

    /** Work units per second summed over {@code threads} replicas, after {@code warmupSeconds} of warm-up. */
    static double throughput(int threads, Factory factory, double warmupSeconds, double seconds) {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                results.add(pool.submit(() -> {
                    Replica replica = factory.create(index);
                    warmUp(replica, warmupSeconds);
                    start.await();
                    long begin = System.nanoTime();
                    long end = begin + (long) (seconds * 1e9);
                    double work = 0;
                    long now;
                    do {
                        work += replica.runUnit();
                        now = System.nanoTime();
                    } while (now < end);
                    return new double[] {work, (now - begin) / 1e9};
                }));
            }
            double total = 0;
            for (Future<double[]> f : results) {
                double[] r = f.get();
                total += r[0] / r[1];
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException("benchmark replica failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs units until {@code seconds} have passed on the clock and in this thread's CPU time. */
    static void warmUp(Replica replica, double seconds) {
        long nanos = (long) (seconds * 1e9);
        long wallEnd = System.nanoTime() + nanos;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpuEnd = cpu.getCurrentThreadCpuTime() + nanos;
        while (System.nanoTime() < wallEnd || cpu.getCurrentThreadCpuTime() < cpuEnd) {
            replica.runUnit();
        }
    }
}
