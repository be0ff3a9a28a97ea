package dev.sparktrain.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the same timed loop on N threads at once, one replica per core as executors' task threads run, and returns
 * the total work per second: each replica sets itself up, all start together after a warm-up, and each counts
 * the work units it completes until the deadline.
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
                    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    while (System.nanoTime() < warmEnd) {
                        replica.runUnit();
                    }
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
}
