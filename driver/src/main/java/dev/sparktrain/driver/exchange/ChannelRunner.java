package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.io.IOException;
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
 * {@link dev.sparktrain.driver.RoundTransport#CHANNEL}: one barrier Spark job whose tasks ({@link ChannelWorker})
 * serve block after block of rounds and talk to the driver over a connection each: TCP on a cluster, a
 * pair of in-memory queues in local mode ({@link WorkerLinks}). A round sends the task to every worker and reads the
 * results back in partition order: no Spark scheduling, broadcast or result path per round. The barrier stage starts
 * all workers at once or none: when the cluster has fewer task slots than workers (executors lost and not yet
 * replaced), a block runs as one Spark job per round instead, which gives the same results, rather than waiting for
 * slots that may never come.
 * <p>The job outlives its block: the next block on the same data goes to the same waiting workers, until
 * {@link #releaseWorkers} ends the job (before an evaluation needs the task slots, and when training ends): a job per
 * block cost ~10 ms of each ~1.05 s {@code sync} epoch on Fashion-MNIST, and a block per checkpoint interval more.
 */
final class ChannelRunner implements RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRunner.class);
    /** How often a wait for a worker checks that the workers' Spark job is still alive. */
    private static final int POLL_MILLIS = 200;
    /** Spark setting: whether local mode's channel goes through memory (the default) or TCP. */
    static final String IN_MEMORY = "spark.sparktrain.channel.inMemory";

    private final JavaSparkContext sc;
    private final SecureRandom random = new SecureRandom();
    private final JobRunner fallback;
    /** Whether the open block runs one Spark job per round for want of task slots. */
    private boolean fallingBack;
    private boolean warnedFallback;
    /** Whether workers' tasks run in this JVM (local mode), so messages can go through memory instead of TCP. */
    private final boolean inMemory;
    private WorkerLinks links;
    private int partitions;
    /** The barrier job whose workers serve the blocks, and the data they hold: open across blocks. */
    private JavaFutureAction<Long> job;
    private CachedBlocks served;
    /** Whether a block is open (between {@link #beginBlock} and {@link #endBlock}). */
    private boolean inBlock;
    private long block;
    private int blockRounds;
    private int roundsRun;

    ChannelRunner(JavaSparkContext sc) {
        this.sc = sc;
        this.fallback = new JobRunner(sc);
        this.inMemory = inMemory(sc);
    }

    /**
     * Whether blocks exchange messages in memory: in local mode, where the workers' tasks run in the driver's JVM,
     * unless {@value #IN_MEMORY} is false (to measure or test the TCP path on one machine).
     */
    static boolean inMemory(JavaSparkContext sc) {
        return sc.isLocal() && sc.getConf().getBoolean(IN_MEMORY, true);
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
        if (inBlock || fallingBack) {
            throw new IllegalStateException("a block is open already: end or abort it first");
        }
        if (job != null && job.isDone()) {
            LOG.warn("The workers' Spark job ended between two blocks: the next block starts a new one");
            abortBlock();
        } else if (job != null && served != data) {
            releaseWorkers();
        }
        int partitions = data.rdd().getNumPartitions();
        int slots = taskSlots();
        if (job == null && partitions > slots) {
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
        block = random.nextLong();
        blockRounds = rounds;
        roundsRun = 0;
        inBlock = true;
        if (job != null) {
            return;
        }
        this.partitions = partitions;
        try {
            links = openLinks(partitions);
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            RDD<Integer> tasks = data.rdd().rdd().barrier().mapPartitions(new ChannelWorker(links.endpoint()), false,
                    tag);
            job = JavaRDD.fromRDD(tasks, tag).countAsync();
            served = data;
            links.awaitWorkers();
        } catch (IOException e) {
            throw new WorkerLostException("could not open the workers' channels: " + e.getMessage(), e);
        }
    }

    private WorkerLinks openLinks(int partitions) throws IOException {
        if (inMemory) {
            return MemoryLinks.open(partitions, POLL_MILLIS, this::checkAlive);
        }
        // Where Spark's own driver endpoint listens and is reached (the bind address defaults to the host).
        String host = sc.getConf().get("spark.driver.host");
        return SocketLinks.listen(sc.getConf().get("spark.driver.bindAddress", host), host, partitions, POLL_MILLIS,
                this::checkAlive);
    }

    @Override
    public BlockPlace nextRound() {
        if (fallingBack) {
            return null;
        }
        if (!inBlock || roundsRun >= blockRounds) {
            throw new IllegalStateException("no round left in the open block");
        }
        return new BlockPlace(block, roundsRun, roundsRun == blockRounds - 1);
    }

    @Override
    public <R> R run(CachedBlocks data, PartitionTask<DataBlock, R> task, R zero, BinaryOperator<R> merge) {
        if (fallingBack) {
            return fallback.run(data, task, zero, merge);
        }
        if (!inBlock) {
            throw new IllegalStateException("no block is open: call beginBlock first");
        }
        if (job.isDone()) {
            checkAlive();
        }
        roundsRun++;
        try {
            links.sendToAll(partitions, MessageChannel.TASK, task);
        } catch (IOException e) {
            throw new WorkerLostException("lost the channel to " + e.getMessage(), e);
        }
        int partition = 0;
        try {
            R folded = zero;
            for (; partition < partitions; partition++) {
                Envelope reply = links.receive(partition);
                if (reply.type() == MessageChannel.FAILED) {
                    // A task is a pure function of its inputs: running it again would fail the same way.
                    throw new IllegalStateException("worker " + partition + " failed: " + reply.body());
                }
                if (reply.type() != MessageChannel.RESULT) {
                    throw new IOException("worker " + partition + " sent message type " + reply.type()
                            + ", expected a result");
                }
                @SuppressWarnings("unchecked")
                R result = (R) reply.body();
                folded = merge.apply(folded, result);
            }
            return folded;
        } catch (IOException e) {
            throw new WorkerLostException("lost the channel to worker " + partition + ": " + e.getMessage(), e);
        }
    }

    /** Ends the block; its job's workers wait for the next block's tasks. */
    @Override
    public void endBlock() {
        fallingBack = false;
        inBlock = false;
    }

    @Override
    public void releaseWorkers() {
        if (inBlock) {
            throw new IllegalStateException("a block is open: end or abort it first");
        }
        if (job == null) {
            return;
        }
        for (int partition = 0; partition < partitions; partition++) {
            try {
                links.send(partition, MessageChannel.END, "");
            } catch (IOException e) {
                LOG.warn("Worker {} was gone when its job was ended (its results were all in): {}", partition,
                        e.getMessage());
            }
        }
        try {
            job.get();
        } catch (ExecutionException e) {
            LOG.warn("The workers' Spark job failed after all its results were in: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    @Override
    public void abortBlock() {
        fallingBack = false;
        inBlock = false;
        // Closed channels end the workers' tasks; cancelling ends a job whose tasks are gone or stuck. The links may
        // be open without a job: when starting it failed.
        JavaFutureAction<Long> aborted = job;
        closeAll();
        if (aborted == null) {
            return;
        }
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
     * Throws {@link WorkerLostException} when the workers' job has ended, any of its tasks failed, or Spark lost the
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
            throw new WorkerLostException("the workers' Spark job ended before the block did"
                    + (cause != null ? ": " + cause.getMessage() : ""), cause);
        }
        int slots = taskSlots();
        if (slots < partitions) {
            throw new WorkerLostException("Spark has " + slots + " task slots left for " + partitions
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
                    throw new WorkerLostException("a task of the workers' barrier stage failed (stage " + stageId
                            + ")", null);
                }
            }
        }
    }

    private void closeAll() {
        if (links != null) {
            links.close();
        }
        links = null;
        job = null;
        served = null;
    }
}
