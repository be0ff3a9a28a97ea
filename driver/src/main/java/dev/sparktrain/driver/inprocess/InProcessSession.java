package dev.sparktrain.driver.inprocess;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.TaskOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A block of rounds on workers in this process: one per data block, run on a pool of threads (or on the caller's
 * thread), each holding its carry between rounds as the channel's worker tasks do. The same tasks, merged in the same
 * partition order, as on Spark: the same results, without Spark.
 */
public final class InProcessSession implements RoundSession {

    private final List<DataBlock> partitions;
    private final ExecutorService threads;
    private final Carry[] carries;
    private final boolean carrying;

    /**
     * Workers on {@code partitions} (partition i holds block i), run on {@code threads} or, when it is null, one after
     * the other on the calling thread; they start from {@code carries} (by partition) or carry nothing when it is null.
     */
    public InProcessSession(List<DataBlock> partitions, ExecutorService threads, Map<Integer, InnerState> carries) {
        this.partitions = List.copyOf(partitions);
        this.threads = threads;
        this.carries = new Carry[partitions.size()];
        this.carrying = carries != null;
        for (int p = 0; p < this.carries.length; p++) {
            this.carries[p] = carries == null ? Carry.NONE : Carry.sent(carries.get(p));
        }
    }

    @Override
    public RoundSums run(RoundPlan plan, RoundTask task) {
        List<TaskOutput> outputs = new ArrayList<>(partitions.size());
        if (threads == null) {
            for (int p = 0; p < partitions.size(); p++) {
                outputs.add(task.run(plan, p, partitions.get(p), carries[p]));
            }
        } else {
            List<Future<TaskOutput>> running = new ArrayList<>(partitions.size());
            for (int p = 0; p < partitions.size(); p++) {
                int partition = p;
                running.add(threads.submit(() -> task.run(plan, partition, partitions.get(partition),
                        carries[partition])));
            }
            for (int p = 0; p < running.size(); p++) {
                outputs.add(await(running.get(p), p));
            }
        }
        RoundSums merged = RoundSums.empty();
        for (int p = 0; p < outputs.size(); p++) {
            carries[p] = outputs.get(p).carry();
            merged.mergeLater(outputs.get(p).result());
        }
        return merged;
    }

    private static TaskOutput await(Future<TaskOutput> output, int partition) {
        try {
            return output.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("worker " + partition + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker " + partition, e);
        }
    }

    @Override
    public Map<Integer, InnerState> finish() {
        Map<Integer, InnerState> out = new HashMap<>();
        if (carrying) {
            for (int p = 0; p < carries.length; p++) {
                InnerState state = carries[p].toInnerState();
                if (state != null) {
                    out.put(p, state);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        // The workers are this session's arrays; the threads belong to the caller.
    }
}
