package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.BinaryOperator;
import org.slf4j.LoggerFactory;
import org.slf4j.Logger;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * {@link dev.sparktrain.driver.RoundTransport#CHANNEL}: one barrier Spark job per block of rounds, whose tasks
 * ({@link ChannelWorker}) stay up for the block and talk to the driver over a TCP connection each. A round sends the
 * serialized task to every worker and reads the results back in partition order: no Spark scheduling, broadcast or
 * result path per round. The barrier stage starts all workers at once or none, so a block either has every
 * partition or waits for slots.
 */
final class ChannelRunner implements RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRunner.class);
    /** How often a wait for a worker checks that the block's Spark job is still alive. */
    private static final int POLL_MILLIS = 200;

    private final JavaSparkContext sc;
    private final SecureRandom random = new SecureRandom();
    private ServerSocket listener;
    private JavaFutureAction<Long> job;
    private ChannelConnection[] workers;
    private long block;
    private int blockRounds;
    private int roundsRun;

    ChannelRunner(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public <T> RoundInput<T> share(T value) {
        return new RoundInput.Direct<>(value);
    }

    @Override
    public void release(RoundInput<?> input) {
        // Direct inputs are garbage once the task is serialized.
    }

    @Override
    public boolean restartsBlocks() {
        return true;
    }

    @Override
    public void beginBlock(CachedBlocks data, int rounds) {
        if (job != null) {
            throw new IllegalStateException("a block is open already: end or abort it first");
        }
        int partitions = data.rdd().getNumPartitions();
        int slots = sc.defaultParallelism();
        if (partitions > slots) {
            throw new IllegalArgumentException("training.transport channel runs all " + partitions
                    + " workers' tasks at once, but Spark has " + slots + " task slots (spark.default.parallelism): "
                    + "lower training.workers or use training.transport job");
        }
        long secret = random.nextLong();
        block = random.nextLong();
        blockRounds = rounds;
        roundsRun = 0;
        try {
            listener = new ServerSocket(0);
            listener.setSoTimeout(POLL_MILLIS);
            String host = sc.getConf().get("spark.driver.host");
            ChannelWorker worker = new ChannelWorker(host, listener.getLocalPort(), secret);
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            RDD<Integer> tasks = data.rdd().rdd().barrier().mapPartitions(worker, false, tag);
            job = JavaRDD.fromRDD(tasks, tag).countAsync();
            workers = new ChannelConnection[partitions];
            for (int connected = 0; connected < partitions; ) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (SocketTimeoutException e) {
                    checkAlive();
                    continue;
                }
                ChannelConnection connection = acceptWorker(socket, secret, partitions);
                if (connection != null) {
                    workers[connection.partition()] = connection;
                    connected++;
                }
            }
        } catch (IOException e) {
            throw new WorkerLostException("could not open the workers' channels: " + e.getMessage(), e);
        }
    }

    private ChannelConnection acceptWorker(Socket socket, long secret, int partitions) {
        try {
            ChannelConnection connection = ChannelConnection.accept(socket, secret, partitions, POLL_MILLIS,
                    this::checkAlive);
            if (workers[connection.partition()] != null) {
                throw new IOException("worker " + connection.partition() + " connected twice");
            }
            return connection;
        } catch (IOException e) {
            LOG.warn("Refused a channel connection: {}", e.getMessage());
            closeQuietly(socket);
            return null;
        }
    }

    @Override
    public BlockPlace nextRound() {
        if (job == null || roundsRun >= blockRounds) {
            throw new IllegalStateException("no round left in the open block");
        }
        return new BlockPlace(block, roundsRun, roundsRun == blockRounds - 1);
    }

    @Override
    public <R> R run(CachedBlocks data, PartitionTask<DataBlock, R> task, R zero, BinaryOperator<R> merge) {
        if (job == null) {
            throw new IllegalStateException("no block is open: call beginBlock first");
        }
        if (job.isDone()) {
            checkAlive();
        }
        ClassTag<Object> anyRef = ClassTag$.MODULE$.AnyRef();
        SerializerInstance tasks = SparkEnv.get().closureSerializer().newInstance();
        SerializerInstance results = SparkEnv.get().serializer().newInstance();
        ByteBuffer bytes = tasks.serialize(task, anyRef);
        roundsRun++;
        ChannelConnection current = null;
        try {
            for (ChannelConnection worker : workers) {
                current = worker;
                worker.sendTask(bytes);
            }
            R folded = zero;
            for (ChannelConnection worker : workers) {
                current = worker;
                @SuppressWarnings("unchecked")
                R result = (R) results.deserialize(worker.receiveResult(), anyRef);
                folded = merge.apply(folded, result);
            }
            return folded;
        } catch (IOException e) {
            throw new WorkerLostException("lost the channel to worker " + current.partition() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void endBlock() {
        if (job == null) {
            return;
        }
        for (ChannelConnection worker : workers) {
            try {
                worker.sendEnd();
            } catch (IOException e) {
                LOG.warn("Worker {} was gone at the end of a block (its results were all in): {}", worker.partition(),
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

    /** Throws {@link WorkerLostException} when the block's job has ended or any of its tasks failed. */
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
            for (ChannelConnection worker : workers) {
                if (worker != null) {
                    worker.close();
                }
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
