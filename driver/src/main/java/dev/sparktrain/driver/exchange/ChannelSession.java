package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A block of rounds over the channel's waiting workers ({@link ChannelTransport}). Each worker holds its own carry
 * between the block's rounds: the block sends each its starting carry first and asks for them back at its end. A
 * block closed before it finished (a round failed, a worker was lost) ends the workers' job: they may be anywhere in
 * it, and the next block starts a new one.
 */
final class ChannelSession implements RoundSession {

    private final ChannelTransport transport;
    private final ChannelTransport.Workers workers;
    private final boolean carries;
    /** Whether the workers exchange in a {@link TreeShape}: the driver talks to worker 0 and the last worker only. */
    private final boolean tree;
    private boolean closed;

    /**
     * Sends each worker its carry from {@code carries} (none when it has no entry) unless {@code carries} is null and
     * the workers form a star; in a tree, this message opens the block for every worker.
     */
    ChannelSession(ChannelTransport transport, ChannelTransport.Workers workers, Map<Integer, InnerState> carries) {
        this.transport = transport;
        this.workers = workers;
        this.carries = carries != null;
        this.tree = workers.tree() != null;
        if (carries != null || tree) {
            for (int partition = 0; partition < workers.partitions(); partition++) {
                send(partition, MessageChannel.CARRY, new ChannelWorker.CarryIn(carries == null ? null
                        : carries.get(partition)));
            }
        }
    }

    @Override
    public RoundSums run(RoundPlan plan, RoundTask task) {
        return run(plan, task, () -> {
        });
    }

    /**
     * The driver's work for the wait runs once the round's task is out, before the results are awaited, unless the
     * workers run on the driver's cores (local mode's in-memory links): there it would take a core from a worker, and
     * it runs while they wait for their next task instead, on the cores they lend.
     */
    @Override
    public boolean overlapsDriverWork() {
        return !workers.links().sharesDriverCores();
    }

    @Override
    public RoundSums run(RoundPlan plan, RoundTask task, Runnable whileWorkersRun) {
        requireOpen();
        if (workers.job().isDone()) {
            transport.checkAlive();
        }
        if (tree) {
            return runTree(plan, task, whileWorkersRun);
        }
        try {
            workers.links().sendToAll(workers.partitions(), MessageChannel.TASK, new ChannelWorker.Round(plan, task));
        } catch (IOException e) {
            throw lost("lost the channel to " + e.getMessage(), e);
        }
        whileWorkersRun.run();
        List<Envelope> replies;
        try {
            replies = workers.links().receiveFromAll(workers.partitions());
        } catch (IOException e) {
            throw lost("lost the channel to " + e.getMessage(), e);
        }
        RoundSums folded = RoundSums.empty();
        for (int partition = 0; partition < replies.size(); partition++) {
            // The update reads the results' sums in partition order itself (RoundSums.sumOf).
            folded.mergeLater((RoundSums) bodyOf(partition, replies.get(partition), MessageChannel.RESULT));
        }
        return folded;
    }

    /**
     * The round under the {@code tree} exchange: the task goes to worker 0, which passes it down the tree, and the sum
     * comes from the last worker of the chain in pieces.
     */
    private RoundSums runTree(RoundPlan plan, RoundTask task, Runnable whileWorkersRun) {
        send(0, MessageChannel.TASK, new ChannelWorker.Round(plan, task));
        whileWorkersRun.run();
        int last = workers.partitions() - 1;
        int pieces = TreeShape.pieces(plan.params().params().length);
        List<RoundSums> sums = new ArrayList<>(pieces);
        for (int k = 0; k < pieces; k++) {
            sums.add((RoundSums) receive(last, MessageChannel.RESULT));
        }
        return RoundSums.join(sums);
    }

    @Override
    public Map<Integer, InnerState> finish() {
        requireOpen();
        Map<Integer, InnerState> out = new HashMap<>();
        if (tree) {
            // The block's end travels down the tree like a task; every worker answers with its carry.
            send(0, MessageChannel.CARRY_BACK, "");
        } else if (carries) {
            for (int partition = 0; partition < workers.partitions(); partition++) {
                send(partition, MessageChannel.CARRY_BACK, "");
            }
        }
        if (carries || tree) {
            for (int partition = 0; partition < workers.partitions(); partition++) {
                InnerState carry = ((ChannelWorker.CarryIn) receive(partition, MessageChannel.CARRY)).state();
                if (carry != null && carries) {
                    out.put(partition, carry);
                }
            }
        }
        closed = true;
        return out;
    }

    /** Abandons an unfinished block: its workers' job ends, since they may be anywhere in it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            transport.abort();
        }
    }

    boolean closed() {
        return closed;
    }

    private void send(int partition, byte type, Object body) {
        try {
            workers.links().send(partition, type, body);
        } catch (IOException e) {
            throw lost("lost the channel to worker " + partition + ": " + e.getMessage(), e);
        }
    }

    /** The body of {@code partition}'s next message, which must be of {@code type}. */
    private Object receive(int partition, byte type) {
        Envelope reply;
        try {
            reply = workers.links().receive(partition);
        } catch (IOException e) {
            throw lost("lost the channel to worker " + partition + ": " + e.getMessage(), e);
        }
        return bodyOf(partition, reply, type);
    }

    /** The body of {@code reply}, {@code partition}'s message, which must be of {@code type}. */
    private Object bodyOf(int partition, Envelope reply, byte type) {
        if (reply.type() == MessageChannel.FAILED) {
            // A task is a pure function of its inputs: running it again would fail the same way.
            throw new IllegalStateException(tree ? "a worker failed: " + reply.body()
                    : "worker " + partition + " failed: " + reply.body());
        }
        if (reply.type() != type) {
            throw lost("worker " + partition + " sent message type " + reply.type() + ", expected " + type, null);
        }
        return reply.body();
    }

    private static WorkerLostException lost(String message, Throwable cause) {
        return new WorkerLostException(message, cause);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this block of rounds has ended");
        }
    }
}
