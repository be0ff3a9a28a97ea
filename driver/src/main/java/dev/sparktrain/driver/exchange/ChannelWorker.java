package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.TaskOutput;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * A worker's side of the channel: the task of one partition in the workers' barrier job. It connects to the
 * driver, then runs each round's task on its partition's block and sends the result back, block after block, until
 * the driver ends the job. Between rounds it holds what it carries ({@link Carry}): set by the driver at a block's
 * start, sent back at its end. Under the {@code tree} exchange it also links to the workers next to it in the
 * {@link TreeShape}: tasks arrive from its parent and go on to its children, and results are summed along the chain
 * of workers instead of each going to the driver.
 */
final class ChannelWorker extends AbstractFunction1<Iterator<DataBlock>, Iterator<Integer>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A round as the driver sends it. */
    record Round(RoundPlan plan, RoundTask task) implements Serializable {
    }

    /** A worker's carry as it travels (null: none). */
    record CarryIn(InnerState state) implements Serializable {
    }

    private final WorkerLinks.WorkerEndpoint driver;
    /** Who talks to whom under the {@code tree} exchange; null under the star. */
    private final TreeShape tree;

    ChannelWorker(WorkerLinks.WorkerEndpoint driver, TreeShape tree) {
        this.driver = driver;
        this.tree = tree;
    }

    @Override
    public Iterator<Integer> apply(Iterator<DataBlock> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        // A retried attempt of the barrier stage belongs to a block the driver has abandoned: it starts the block again
        // with a new job, so this attempt only has to end.
        if (context.stageAttemptNumber() > 0) {
            return CollectionConverters.asScala(Collections.emptyIterator());
        }
        List<DataBlock> blocks = new ArrayList<>();
        rows.foreach(block -> blocks.add(block));
        int partition = context.partitionId();
        if (blocks.size() != 1) {
            throw new IllegalStateException("worker " + partition + " expected one cached block, got " + blocks.size());
        }
        try (WorkerLinks.DriverLink link = driver.connect(partition);
             PeerLinks peers = tree == null ? null : driver.peers(partition, tree,
                     SparkEnv.get().blockManager().blockManagerId().host(),
                     mine -> Arrays.asList(context.allGather(mine)))) {
            serve(link, peers, partition, blocks.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + partition + " lost its channel to the driver (" + driver + ")",
                    e);
        }
        return CollectionConverters.asScala(Collections.emptyIterator());
    }

    private void serve(WorkerLinks.DriverLink link, PeerLinks peers, int partition, DataBlock block)
            throws IOException {
        Carry carry = Carry.NONE;
        for (Envelope message = link.receive(); message.type() != MessageChannel.END; message = link.receive()) {
            switch (message.type()) {
                case MessageChannel.CARRY -> {
                    carry = Carry.sent(((CarryIn) message.body()).state());
                    if (tree != null) {
                        serveTreeBlock(link, peers, partition, block, carry);
                    }
                }
                case MessageChannel.CARRY_BACK -> link.send(MessageChannel.CARRY, new CarryIn(carry.toInnerState()));
                case MessageChannel.TASK -> {
                    Round round = (Round) message.body();
                    TaskOutput out;
                    try {
                        out = round.task().run(round.plan(), partition, block, carry);
                    } catch (RuntimeException | Error e) {
                        link.send(MessageChannel.FAILED, brief(e));
                        throw e;
                    }
                    carry = out.carry();
                    link.send(MessageChannel.RESULT, out.result());
                    if (link.sendsCopies()) {
                        // What left was a copy: the result's arrays can serve the next round's result.
                        out.result().release();
                    }
                }
                default -> throw new IOException("the driver sent message type " + message.type()
                        + ", expected a task");
            }
        }
    }

    /**
     * A block of rounds under the {@code tree} exchange ({@link TreeShape}), after its {@code CARRY}: the round's task
     * and the block's end come from the parent in the tree (the driver for worker 0) and go on to the children; the
     * running sums come from the previous worker and go to the next (the driver after the last worker).
     */
    private void serveTreeBlock(WorkerLinks.DriverLink link, PeerLinks peers, int partition, DataBlock block,
                                Carry start) throws IOException {
        int parent = tree.parent(partition);
        Carry carry = start;
        while (true) {
            Envelope message = parent < 0 ? link.receive() : peers.receive(parent);
            for (int child : tree.children(partition)) {
                peers.send(child, message.type(), message.body());
            }
            switch (message.type()) {
                case MessageChannel.CARRY_BACK -> {
                    link.send(MessageChannel.CARRY, new CarryIn(carry.toInnerState()));
                    return;
                }
                case MessageChannel.TASK -> carry = treeRound(link, peers, partition, block, carry,
                        (Round) message.body());
                default -> throw new IOException("worker " + partition + " got message type " + message.type()
                        + " in a block, expected a task or the block's end");
            }
        }
    }

    /**
     * Runs the round's task and adds its result, piece by piece, to the running sums of the workers before. A failure
     * goes down the chain in place of the first piece, and the workers after pass it on to the driver, which ends
     * the workers' job: failing this task at once could end the job before the report reached the driver, which
     * would then run the block again. Every worker reads all its predecessor sends, so no link is left mid-round.
     */
    private Carry treeRound(WorkerLinks.DriverLink link, PeerLinks peers, int partition, DataBlock block, Carry carry,
                            Round round) throws IOException {
        int pieces = TreeShape.pieces(round.plan().params().params().length);
        TaskOutput out = null;
        List<RoundSums> own = null;
        String failure = null;
        try {
            out = round.task().run(round.plan(), partition, block, carry);
            own = out.result().split(pieces);
        } catch (RuntimeException e) {
            failure = "worker " + partition + ": " + brief(e);
        } catch (Error e) {
            sendOn(link, peers, partition, MessageChannel.FAILED, "worker " + partition + ": " + brief(e));
            throw e;
        }
        int previous = tree.previous(partition);
        for (int k = 0; k < pieces; k++) {
            RoundSums sum = RoundSums.empty();
            if (previous >= 0) {
                Envelope in = peers.receive(previous);
                if (in.type() == MessageChannel.FAILED) {
                    // An earlier worker failed (it sends nothing more this round): its report goes on.
                    sendOn(link, peers, partition, MessageChannel.FAILED, in.body());
                    if (own != null) {
                        own.subList(k, pieces).forEach(RoundSums::release);
                    }
                    return out != null ? out.carry() : carry;
                }
                if (in.type() != MessageChannel.RESULT) {
                    throw new IOException("worker " + partition + " got message type " + in.type() + " from worker "
                            + previous + ", expected a running sum");
                }
                sum = (RoundSums) in.body();
            }
            if (failure != null) {
                sum.release();
                continue;
            }
            sum.merge(own.get(k));
            if (sendOn(link, peers, partition, MessageChannel.RESULT, sum)) {
                // What left was a copy: the sum's arrays can serve the next round.
                sum.release();
            }
        }
        if (failure != null) {
            sendOn(link, peers, partition, MessageChannel.FAILED, failure);
            return carry;
        }
        return out.carry();
    }

    /** Sends to the next worker in the chain, or to the driver from the last; true when what left was a copy. */
    private boolean sendOn(WorkerLinks.DriverLink link, PeerLinks peers, int partition, byte type, Object body)
            throws IOException {
        int next = tree.next(partition);
        if (next < 0) {
            link.send(type, body);
            return link.sendsCopies();
        }
        peers.send(next, type, body);
        return peers.sendsCopies();
    }

    /** The exception's class and message, cut to a sensible length. */
    private static String brief(Throwable e) {
        String text = String.valueOf(e);
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}
