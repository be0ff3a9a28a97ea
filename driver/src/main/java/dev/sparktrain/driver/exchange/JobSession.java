package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.TaskOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A block of rounds run as one Spark job each ({@link JobTransport}). The driver holds the workers' carries: each
 * round broadcasts them with the plan, and each task returns its partition's next one with its result.
 */
public final class JobSession implements RoundSession {

    private final JavaSparkContext sc;
    private final CachedBlocks data;
    /** Whether the round's results are summed on the executors ({@link ShuffledReduction}) rather than here. */
    private final boolean tree;
    /** The workers' carries by partition, or null when they carry nothing. */
    private final HashMap<Integer, InnerState> carries;

    JobSession(JavaSparkContext sc, CachedBlocks data, Map<Integer, InnerState> carries, ExchangeTopology topology) {
        this.sc = sc;
        this.data = data;
        this.tree = topology == ExchangeTopology.TREE;
        this.carries = carries == null ? null : new HashMap<>(carries);
    }

    @Override
    public RoundSums run(RoundPlan plan, RoundTask task) {
        Broadcast<Shared> shared = sc.broadcast(new Shared(plan, carries == null ? null : new HashMap<>(carries)));
        try {
            Task perPartition = new Task(task, shared);
            Reply merged = tree ? ShuffledReduction.run(data.rdd(), perPartition)
                    : OrderedMerge.run(data.rdd(), perPartition, Reply.empty(), Reply::merge);
            if (carries != null) {
                carries.putAll(merged.carries);
            }
            return merged.result;
        } finally {
            shared.destroy();
        }
    }

    @Override
    public Map<Integer, InnerState> finish() {
        return carries == null ? Map.of() : Map.copyOf(carries);
    }

    @Override
    public void close() {
        // Nothing outlives a round's job.
    }

    /** What a round broadcasts: the plan, and the workers' carries (null when they carry nothing). */
    public static final class Shared implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final RoundPlan plan;
        private final HashMap<Integer, InnerState> carries;

        Shared(RoundPlan plan, HashMap<Integer, InnerState> carries) {
            this.plan = plan;
            this.carries = carries;
        }
    }

    /** What a task returns: its result, and the carry its worker goes on with (by partition; none or one). */
    public static final class Reply implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final RoundSums result;
        private final HashMap<Integer, InnerState> carries = new HashMap<>();

        Reply(RoundSums result) {
            this.result = result;
        }

        static Reply empty() {
            return new Reply(RoundSums.empty());
        }

        Reply merge(Reply other) {
            result.merge(other.result);
            carries.putAll(other.carries);
            return this;
        }

        /** This reply in {@code parts} pieces ({@link RoundSums#split}); the first holds the carries. */
        List<Reply> split(int parts) {
            List<Reply> pieces = new ArrayList<>(parts);
            for (RoundSums piece : result.split(parts)) {
                pieces.add(new Reply(piece));
            }
            pieces.get(0).carries.putAll(carries);
            return pieces;
        }

        /** The reply whose {@link #split} gave {@code pieces}, each merged with the same pieces of other replies. */
        static Reply join(List<Reply> pieces) {
            Reply whole = new Reply(RoundSums.join(pieces.stream().map(piece -> piece.result).toList()));
            pieces.forEach(piece -> whole.carries.putAll(piece.carries));
            return whole;
        }
    }

    /** The round's task on one partition, reading the broadcast. */
    private static final class Task implements PartitionTask<DataBlock, Reply> {
        private static final long serialVersionUID = 1L;
        private final RoundTask task;
        private final Broadcast<Shared> shared;

        Task(RoundTask task, Broadcast<Shared> shared) {
            this.task = task;
            this.shared = shared;
        }

        @Override
        public Reply run(int partition, Iterator<DataBlock> rows) {
            if (!rows.hasNext()) {
                return Reply.empty();
            }
            Shared inputs = shared.value();
            Carry carry = inputs.carries == null ? Carry.NONE : Carry.sent(inputs.carries.get(partition));
            TaskOutput out = task.run(inputs.plan, partition, rows.next(), carry);
            Reply reply = new Reply(out.result());
            InnerState next = out.carry().toInnerState();
            if (next != null) {
                reply.carries.put(partition, next);
            }
            return reply;
        }
    }
}
