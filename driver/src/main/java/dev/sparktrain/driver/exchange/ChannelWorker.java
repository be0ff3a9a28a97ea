package dev.sparktrain.driver.exchange;

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
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * A worker's side of the channel: the task of one partition in the workers' barrier job. It connects to the
 * driver, then runs each round's task on its partition's block and sends the result back, block after block, until
 * the driver ends the job. Between rounds it holds what it carries ({@link Carry}): set by the driver at a block's
 * start, sent back at its end.
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

    ChannelWorker(WorkerLinks.WorkerEndpoint driver) {
        this.driver = driver;
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
        try (WorkerLinks.DriverLink link = driver.connect(partition)) {
            serve(link, partition, blocks.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + partition + " lost its channel to the driver (" + driver + ")",
                    e);
        }
        return CollectionConverters.asScala(Collections.emptyIterator());
    }

    private static void serve(WorkerLinks.DriverLink link, int partition, DataBlock block) throws IOException {
        Carry carry = Carry.NONE;
        for (Envelope message = link.receive(); message.type() != MessageChannel.END; message = link.receive()) {
            switch (message.type()) {
                case MessageChannel.CARRY -> carry = Carry.sent(((CarryIn) message.body()).state());
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

    /** The exception's class and message, cut to a sensible length. */
    private static String brief(Throwable e) {
        String text = String.valueOf(e);
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}
