package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.BinaryOperator;
import org.slf4j.LoggerFactory;
import org.slf4j.Logger;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * {@link dev.sparktrain.driver.RoundTransport#CHANNEL}: one barrier Spark job per block of rounds, whose tasks
 * ({@link ChannelWorker}) stay up for the block and talk to the driver over a TCP connection each. A round sends the
 * serialized task to every worker and reads the results back in partition order: no Spark scheduling, broadcast or
 * result path per round. The barrier stage starts all workers at once or none: when the cluster has fewer task
 * slots than workers (executors lost and not yet replaced), a block runs as one Spark job per round instead, which
 * gives the same results, rather than waiting for slots that may never come.
 */
final class ChannelRunner implements RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRunner.class);
    /** How often a wait for a worker checks that the block's Spark job is still alive. */
    private static final int POLL_MILLIS = 200;

    private final JavaSparkContext sc;
    private final SecureRandom random = new SecureRandom();
    private final JobRunner fallback;
    /** Whether the open block runs one Spark job per round for want of task slots. */
    private boolean fallingBack;
    private boolean warnedFallback;
    private ServerSocketChannel listener;
    private JavaFutureAction<Long> job;
    private MessageChannel[] workers;
    /** The round's task, framed once for all workers, in a buffer kept across rounds. */
    private ByteBuffer taskFrame;
    private long block;
    private int blockRounds;
    private int roundsRun;

    ChannelRunner(JavaSparkContext sc) {
        this.sc = sc;
        this.fallback = new JobRunner(sc);
    }

    @Override
    public <T> RoundInput<T> share(T value) {
        return fallingBack ? fallback.share(value) : new RoundInput.Direct<>(value);
    }

    @Override
    public void release(RoundInput<?> input) {
        // Direct inputs are garbage once the task is serialized.
        fallback.release(input);
    }

    @Override
    public boolean restartsBlocks() {
        return true;
    }

    @Override
    public void beginBlock(CachedBlocks data, int rounds) {
        if (job != null || fallingBack) {
            throw new IllegalStateException("a block is open already: end or abort it first");
        }
        int partitions = data.rdd().getNumPartitions();
        int slots = taskSlots();
        if (partitions > slots) {
            if (!warnedFallback) {
                LOG.warn("training.transport channel runs all {} workers' tasks at once, but Spark has {} task slots "
                        + "now: rounds run as one Spark job each until it has enough", partitions, slots);
                warnedFallback = true;
            }
            fallingBack = true;
            return;
        }
        if (warnedFallback) {
            LOG.info("Spark has {} task slots again: rounds go over the channel", slots);
            warnedFallback = false;
        }
        long secret = random.nextLong();
        block = random.nextLong();
        blockRounds = rounds;
        roundsRun = 0;
        try {
            // Where Spark's own driver endpoint listens and is reached (the bind address defaults to the host).
            String host = sc.getConf().get("spark.driver.host");
            String bindAddress = sc.getConf().get("spark.driver.bindAddress", host);
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(bindAddress, 0));
            listener.configureBlocking(false);
            ChannelWorker worker = new ChannelWorker(host, ((InetSocketAddress) listener.getLocalAddress()).getPort(),
                    secret);
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            RDD<Integer> tasks = data.rdd().rdd().barrier().mapPartitions(worker, false, tag);
            job = JavaRDD.fromRDD(tasks, tag).countAsync();
            workers = new MessageChannel[partitions];
            try (Selector accepting = Selector.open()) {
                listener.register(accepting, SelectionKey.OP_ACCEPT);
                for (int connected = 0; connected < partitions; ) {
                    if (accepting.select(POLL_MILLIS) == 0) {
                        checkAlive();
                        continue;
                    }
                    accepting.selectedKeys().clear();
                    SocketChannel socket = listener.accept();
                    if (socket != null && acceptWorker(socket, secret, partitions)) {
                        connected++;
                    }
                }
            }
        } catch (IOException e) {
            throw new WorkerLostException("could not open the workers' channels: " + e.getMessage(), e);
        }
    }

    /** Reads a connection's hello; keeps it as its partition's channel, or refuses a stranger or a duplicate. */
    private boolean acceptWorker(SocketChannel socket, long secret, int partitions) {
        MessageChannel channel = null;
        try {
            channel = MessageChannel.polling(socket, POLL_MILLIS, this::checkAlive);
            MessageChannel.Message hello = channel.receive();
            ByteBuffer graph = ByteBuffer.wrap(hello.body().graph());
            if (hello.type() != MessageChannel.HELLO || graph.remaining() != Long.BYTES + Integer.BYTES
                    || graph.getLong() != secret) {
                throw new IOException("a connection from " + socket.getRemoteAddress()
                        + " is not one of this block's workers");
            }
            int partition = graph.getInt();
            if (partition < 0 || partition >= partitions || workers[partition] != null) {
                throw new IOException("worker partition must be a new one in [0, " + partitions + "), got "
                        + partition);
            }
            workers[partition] = channel;
            return true;
        } catch (IOException e) {
            LOG.warn("Refused a channel connection: {}", e.getMessage());
            closeQuietly(channel != null ? channel : socket);
            return false;
        }
    }

    @Override
    public BlockPlace nextRound() {
        if (fallingBack) {
            return null;
        }
        if (job == null || roundsRun >= blockRounds) {
            throw new IllegalStateException("no round left in the open block");
        }
        return new BlockPlace(block, roundsRun, roundsRun == blockRounds - 1);
    }

    @Override
    public <R> R run(CachedBlocks data, PartitionTask<DataBlock, R> task, R zero, BinaryOperator<R> merge) {
        if (fallingBack) {
            return fallback.run(data, task, zero, merge);
        }
        if (job == null) {
            throw new IllegalStateException("no block is open: call beginBlock first");
        }
        if (job.isDone()) {
            checkAlive();
        }
        roundsRun++;
        int partition = -1;
        try {
            taskFrame = MessageChannel.frame(MessageChannel.TASK, BulkCodec.encode(task), taskFrame);
            for (partition = 0; partition < workers.length; partition++) {
                workers[partition].send(taskFrame);
            }
            R folded = zero;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            for (partition = 0; partition < workers.length; partition++) {
                MessageChannel.Message reply = workers[partition].receive();
                if (reply.type() == MessageChannel.FAILED) {
                    // A task is a pure function of its inputs: running it again would fail the same way.
                    throw new IllegalStateException("worker " + partition + " failed: " + reply.text());
                }
                if (reply.type() != MessageChannel.RESULT) {
                    throw new IOException("worker " + partition + " sent message type " + reply.type()
                            + ", expected a result");
                }
                @SuppressWarnings("unchecked")
                R result = (R) BulkCodec.decode(reply.body(), loader);
                folded = merge.apply(folded, result);
            }
            return folded;
        } catch (IOException e) {
            throw new WorkerLostException((partition < 0 ? "could not encode the round's task: "
                    : "lost the channel to worker " + partition + ": ") + e.getMessage(), e);
        }
    }

    @Override
    public void endBlock() {
        fallingBack = false;
        if (job == null) {
            return;
        }
        for (int partition = 0; partition < workers.length; partition++) {
            try {
                workers[partition].send(MessageChannel.END, MessageChannel.text(""));
            } catch (IOException e) {
                LOG.warn("Worker {} was gone at the end of a block (its results were all in): {}", partition,
                        e.getMessage());
            }
        }
        try {
            job.get();
        } catch (ExecutionException e) {
            LOG.warn("A block's Spark job failed after all its results were in: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    @Override
    public void abortBlock() {
        fallingBack = false;
        if (job == null) {
            return;
        }
        // Closed channels end the workers' tasks; cancelling ends a job whose tasks are gone or stuck.
        JavaFutureAction<Long> aborted = job;
        closeAll();
        aborted.cancel(true);
        try {
            aborted.get();
        } catch (Exception expected) {
            // a cancelled or failed job is what an abort leaves
        }
    }

    /** The tasks Spark can run at once on its live executors (what its barrier scheduling checks too). */
    private int taskSlots() {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    /**
     * Throws {@link WorkerLostException} when the block's job has ended, any of its tasks failed, or Spark lost the
     * task slots to run them all (the barrier stage would wait for them).
     */
    private void checkAlive() {
        if (job.isDone()) {
            Throwable cause = null;
            try {
                job.get();
            } catch (ExecutionException e) {
                cause = e.getCause();
            } catch (Exception e) {
                cause = e;
            }
            throw new WorkerLostException("the block's Spark job ended before the block did"
                    + (cause != null ? ": " + cause.getMessage() : ""), cause);
        }
        int slots = taskSlots();
        if (slots < workers.length) {
            throw new WorkerLostException("Spark has " + slots + " task slots left for " + workers.length
                    + " workers", null);
        }
        for (int jobId : job.jobIds()) {
            SparkJobInfo info = sc.statusTracker().getJobInfo(jobId);
            if (info == null) {
                continue;
            }
            for (int stageId : info.stageIds()) {
                SparkStageInfo stage = sc.statusTracker().getStageInfo(stageId);
                if (stage != null && stage.numFailedTasks() > 0) {
                    throw new WorkerLostException("a task of the block's barrier stage failed (stage " + stageId
                            + ")", null);
                }
            }
        }
    }

    private void closeAll() {
        if (workers != null) {
            for (MessageChannel worker : workers) {
                closeQuietly(worker);
            }
        }
        closeQuietly(listener);
        workers = null;
        listener = null;
        job = null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all we wanted
        }
    }
}
