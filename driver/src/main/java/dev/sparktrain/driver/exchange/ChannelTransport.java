package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundSession;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One barrier Spark job whose tasks ({@link ChannelWorker}) serve block after block of rounds and talk to the driver
 * over a connection each: TCP on a cluster, a pair of in-memory queues in local mode ({@link WorkerLinks}). A round
 * sends the plan and task to every worker and reads the results back in partition order ({@link ChannelSession}): no
 * Spark scheduling, broadcast or result path per round. The barrier stage starts all workers at once or none: when the
 * cluster has fewer task slots than workers (executors lost and not yet replaced), a block runs as one Spark job per
 * round instead ({@link JobSession}), which gives the same results, rather than waiting for slots that may never come.
 * <p>The job outlives its block: the next block on the same data goes to the same waiting workers, until
 * {@link #releaseWorkers} ends the job (before an evaluation needs the task slots, and when training ends): a job per
 * block costs a Spark job's start-up per checkpoint interval (docs/performance.md).
 */
final class ChannelTransport implements SparkTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTransport.class);
    /** How often a wait for a worker checks that the workers' Spark job is still alive. */
    private static final int POLL_MILLIS = 200;
    /** Spark setting: whether local mode's channel goes through memory (the default) or TCP. */
    static final String IN_MEMORY = "spark.sparktrain.channel.inMemory";
    /** Spark setting: how long the in-memory channel's driver end spins for a result before it parks. */
    static final String SPIN_MICROS = "spark.sparktrain.channel.spinMicros";
    /** The spin's default, in microseconds (docs/performance.md: measured against 0 and longer spins). */
    static final long DEFAULT_SPIN_MICROS = 200;
    /**
     * Spark setting: how long a worker on the in-memory channel spins for its next task, not counting the time it
     * lends its core to the driver's passes, before it parks.
     */
    static final String WORKER_SPIN_MICROS = "spark.sparktrain.channel.workerSpinMicros";
    /** The workers' spin's default, in microseconds (docs/performance.md, session 13). */
    static final long DEFAULT_WORKER_SPIN_MICROS = 1000;

    private final JavaSparkContext sc;
    private final ExchangeTopology topology;
    private final boolean inMemory;
    private boolean warnedFallback;
    private boolean loggedSecurity;
    /** The workers' barrier job and their links, open across blocks; null when no job runs. */
    private Workers workers;
    /** The session using the workers, if one is open. */
    private ChannelSession open;
    /** Bytes through links closed so far. */
    private LinkBytes closedLinks = LinkBytes.ZERO;

    /** A running barrier job serving {@code data}'s partitions. */
    record Workers(JavaFutureAction<Long> job, WorkerLinks links, CachedBlocks data, int partitions, TreeShape tree) {
    }

    ChannelTransport(JavaSparkContext sc, ExchangeTopology topology) {
        this.sc = sc;
        this.topology = topology;
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
    public RoundSession open(CachedBlocks data, Map<Integer, InnerState> carries) {
        if (open != null && !open.closed()) {
            throw new IllegalStateException("a block is open already: finish or close it first");
        }
        if (workers != null && workers.job().isDone()) {
            LOG.warn("The workers' Spark job ended between two blocks: the next block starts a new one");
            abort();
        } else if (workers != null && workers.data() != data) {
            releaseWorkers();
        }
        int partitions = data.rdd().getNumPartitions();
        int slots = taskSlots();
        if (workers == null && partitions > slots) {
            if (!warnedFallback) {
                LOG.warn("training.transport channel runs all {} workers' tasks at once, but Spark has {} task slots "
                        + "now: rounds run as one Spark job each until it has enough", partitions, slots);
                warnedFallback = true;
            }
            return new JobSession(sc, data, carries, topology);
        }
        if (warnedFallback) {
            LOG.info("Spark has {} task slots again: rounds go over the channel", slots);
            warnedFallback = false;
        }
        if (workers == null) {
            workers = start(data, partitions);
        }
        try {
            open = new ChannelSession(this, workers, carries);
        } catch (RuntimeException e) {
            // The workers may hold some of the carries: the block starts again with a new job.
            abort();
            throw e;
        }
        return open;
    }

    private Workers start(CachedBlocks data, int partitions) {
        WorkerLinks links = null;
        try {
            links = openLinks(partitions);
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            TreeShape tree = topology == ExchangeTopology.TREE ? new TreeShape(partitions) : null;
            RDD<Integer> tasks = data.rdd().rdd().barrier().mapPartitions(new ChannelWorker(links.endpoint(), tree),
                    false, tag);
            workers = new Workers(JavaRDD.fromRDD(tasks, tag).countAsync(), links, data, partitions, tree);
            links.awaitWorkers();
            return workers;
        } catch (IOException e) {
            if (workers == null && links != null) {
                links.close();
            }
            abort();
            throw new WorkerLostException("could not open the workers' channels: " + e.getMessage(), e);
        }
    }

    private WorkerLinks openLinks(int partitions) throws IOException {
        if (inMemory) {
            return MemoryLinks.open(partitions, POLL_MILLIS, spinNanos(sc, SPIN_MICROS, DEFAULT_SPIN_MICROS),
                    spinNanos(sc, WORKER_SPIN_MICROS, DEFAULT_WORKER_SPIN_MICROS), this::checkAlive);
        }
        // Where Spark's own driver endpoint listens and is reached (the bind address defaults to the host).
        String host = sc.getConf().get("spark.driver.host");
        LinkSecurity security = LinkSecurity.forJob(sc.getConf(), sc.env().securityManager());
        if (!loggedSecurity) {
            LOG.info("The channel's links are {}", security.describe());
            loggedSecurity = true;
        }
        return SocketLinks.listen(sc.getConf().get("spark.driver.bindAddress", host), host, partitions, POLL_MILLIS,
                SocketLinks.OPENING_MILLIS, this::checkAlive, security);
    }

    /** Spin setting {@code key} in nanoseconds; one clear line when it is not microseconds in [0, 1 s]. */
    private static long spinNanos(JavaSparkContext sc, String key, long defaultMicros) {
        return spinNanos(key, sc.getConf().get(key, Long.toString(defaultMicros)));
    }

    /** A value of spin setting {@code key} in nanoseconds. */
    static long spinNanos(String key, String setting) {
        String value = setting.trim();
        try {
            long micros = Long.parseLong(value);
            if (micros >= 0 && micros <= 1_000_000) {
                return micros * 1000;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(key + " must be a whole number of microseconds in [0, 1000000], got '"
                + value + "'");
    }

    @Override
    public void releaseWorkers() {
        if (open != null && !open.closed()) {
            throw new IllegalStateException("a block is open: finish or close it first");
        }
        if (workers == null) {
            return;
        }
        for (int partition = 0; partition < workers.partitions(); partition++) {
            try {
                workers.links().send(partition, MessageChannel.END, "");
            } catch (IOException e) {
                LOG.warn("Worker {} was gone when its job was ended (its results were all in): {}", partition,
                        e.getMessage());
            }
        }
        try {
            workers.job().get();
        } catch (ExecutionException e) {
            LOG.warn("The workers' Spark job failed after all its results were in: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLinks(workers.links());
            workers = null;
        }
    }

    private void closeLinks(WorkerLinks links) {
        closedLinks = closedLinks.plus(links.bytes());
        links.close();
    }

    @Override
    public LinkBytes driverLinkBytes() {
        Workers w = workers;
        return w == null ? closedLinks : closedLinks.plus(w.links().bytes());
    }

    /**
     * Ends the workers' job after a failed block: closed channels end the workers' tasks; cancelling ends a job whose
     * tasks are gone or stuck.
     */
    void abort() {
        Workers aborted = workers;
        workers = null;
        if (aborted == null) {
            return;
        }
        closeLinks(aborted.links());
        aborted.job().cancel(true);
        try {
            aborted.job().get();
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
    void checkAlive() {
        Workers w = workers;
        if (w == null) {
            throw new WorkerLostException("the workers' Spark job was ended", null);
        }
        if (w.job().isDone()) {
            Throwable cause = null;
            try {
                w.job().get();
            } catch (ExecutionException e) {
                cause = e.getCause();
            } catch (Exception e) {
                cause = e;
            }
            throw new WorkerLostException("the workers' Spark job ended before the block did"
                    + (cause != null ? ": " + cause.getMessage() : ""), cause);
        }
        int slots = taskSlots();
        if (slots < w.partitions()) {
            throw new WorkerLostException("Spark has " + slots + " task slots left for " + w.partitions()
                    + " workers", null);
        }
        for (int jobId : w.job().jobIds()) {
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
}
