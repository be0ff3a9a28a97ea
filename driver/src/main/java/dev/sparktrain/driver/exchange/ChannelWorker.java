package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.DataBlock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializerInstance;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * A worker's side of the channel: the task of one partition in a block's barrier job. It connects to the driver,
 * then runs each round task the driver sends on its partition's blocks and sends the result back, until the
 * driver ends the block. Tasks are read with Spark's closure serializer and results written with its data
 * serializer (Kryo), as Spark itself ships them.
 */
final class ChannelWorker extends AbstractFunction1<Iterator<DataBlock>, Iterator<Integer>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String driverHost;
    private final int driverPort;
    private final long secret;

    ChannelWorker(String driverHost, int driverPort, long secret) {
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.secret = secret;
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
        try (Socket socket = new Socket(driverHost, driverPort)) {
            socket.setTcpNoDelay(true);
            serve(socket, context.partitionId(), blocks);
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + context.partitionId() + " lost its channel to the driver at "
                    + driverHost + ":" + driverPort, e);
        }
        return CollectionConverters.asScala(Collections.emptyIterator());
    }

    private void serve(Socket socket, int partition, List<DataBlock> blocks) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        out.writeByte(Frames.HELLO);
        out.writeLong(secret);
        out.writeInt(partition);
        out.flush();
        SerializerInstance tasks = SparkEnv.get().closureSerializer().newInstance();
        SerializerInstance results = SparkEnv.get().serializer().newInstance();
        ClassTag<Object> anyRef = ClassTag$.MODULE$.AnyRef();
        ByteBuffer received = null;
        for (byte type = in.readByte(); type != Frames.END; type = in.readByte()) {
            if (type != Frames.TASK) {
                throw new IOException("the driver sent frame type " + type + ", expected a task");
            }
            received = Frames.readPayload(in, received);
            @SuppressWarnings("unchecked")
            PartitionTask<DataBlock, Object> task = (PartitionTask<DataBlock, Object>) tasks.deserialize(received,
                    anyRef);
            Object result;
            try {
                result = task.run(partition, blocks.iterator());
            } catch (RuntimeException | Error e) {
                out.writeByte(Frames.FAILED);
                out.writeUTF(brief(e));
                out.flush();
                throw e;
            }
            Frames.writePayload(out, Frames.RESULT, results.serialize(result, anyRef));
        }
    }

    /** The exception's class and message, cut to what one frame carries. */
    private static String brief(Throwable e) {
        String text = String.valueOf(e);
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}
