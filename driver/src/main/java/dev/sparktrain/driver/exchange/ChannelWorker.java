package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.DataBlock;
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
 * driver, then runs each round task the driver sends on its partition's blocks and sends the result back, block
 * after block, until the driver ends the job.
 */
final class ChannelWorker extends AbstractFunction1<Iterator<DataBlock>, Iterator<Integer>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

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
        try (WorkerLinks.DriverLink link = driver.connect(partition)) {
            serve(link, partition, blocks);
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + partition + " lost its channel to the driver (" + driver + ")",
                    e);
        }
        return CollectionConverters.asScala(Collections.emptyIterator());
    }

    private static void serve(WorkerLinks.DriverLink link, int partition, List<DataBlock> blocks) throws IOException {
        for (Envelope message = link.receive(); message.type() != MessageChannel.END; message = link.receive()) {
            if (message.type() != MessageChannel.TASK) {
                throw new IOException("the driver sent message type " + message.type() + ", expected a task");
            }
            @SuppressWarnings("unchecked")
            PartitionTask<DataBlock, Object> task = (PartitionTask<DataBlock, Object>) message.body();
            Object result;
            try {
                result = task.run(partition, blocks.iterator());
            } catch (RuntimeException | Error e) {
                link.send(MessageChannel.FAILED, brief(e));
                throw e;
            }
            link.send(MessageChannel.RESULT, result);
        }
    }

    /** The exception's class and message, cut to a sensible length. */
    private static String brief(Throwable e) {
        String text = String.valueOf(e);
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}
