package dev.sparktrain.driver.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when the cluster takes an executor away during a run, says what training continues on, and names each
 * running task that was lost with it.
 *
 * <p>Why: on a cluster Spark quietly re-runs the tasks of a lost executor and recomputes its cached data blocks
 * elsewhere; the run still ends with the same parameters (every task is a pure function of the broadcast
 * parameters, its partition and its seed), but it gets slower, and a user watching the epoch lines should know
 * why. Removals after the application has ended (the executors Spark stops itself) are not losses and stay quiet.
 *
 * <p>Registered through {@code spark.extraListeners} (hence the no-argument constructor), which
 * {@code SparktrainSparkConf.applyDefaults} fills in, so it sees every executor from the first one on.
 */
public final class ExecutorLossListener extends SparkListener {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLossListener.class);

    private record Executor(String host, int cores) {
    }

    private final Map<String, Executor> live = new ConcurrentHashMap<>();
    private volatile boolean ended;
    private volatile boolean lostAny;

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        addedMessage(added).ifPresent(LOG::info);
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        removedMessage(removed).ifPresent(LOG::warn);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        taskLostMessage(end).ifPresent(LOG::warn);
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
        ended = true;
    }

    /** Records the executor; says so only when it replaces capacity lost earlier in the run. */
    Optional<String> addedMessage(SparkListenerExecutorAdded added) {
        live.put(added.executorId(), new Executor(added.executorInfo().executorHost(),
                added.executorInfo().totalCores()));
        if (!lostAny || ended) {
            return Optional.empty();
        }
        return Optional.of("executor " + added.executorId() + " added on " + added.executorInfo().executorHost()
                + "; training now runs on " + summary());
    }

    /** Forgets the executor; the warning for a loss while the application runs. */
    Optional<String> removedMessage(SparkListenerExecutorRemoved removed) {
        Executor gone = live.remove(removed.executorId());
        if (ended) {
            return Optional.empty();
        }
        lostAny = true;
        String lost = "executor " + removed.executorId() + (gone == null ? "" : " on " + gone.host()) + " lost ("
                + removed.reason() + "); ";
        if (live.isEmpty()) {
            return Optional.of(lost + "no executor left: training waits until the cluster manager starts a new one");
        }
        return Optional.of(lost + "training continues on " + summary() + "; Spark re-runs its tasks and recomputes "
                + "its cached blocks, so the result is unchanged");
    }

    /** For a task that ended because its executor was lost: which one, and that Spark runs it again. */
    Optional<String> taskLostMessage(SparkListenerTaskEnd end) {
        if (!(end.reason() instanceof ExecutorLostFailure lost)) {
            return Optional.empty();
        }
        return Optional.of("task for partition " + end.taskInfo().partitionId() + " of stage " + end.stageId()
                + " was lost with executor " + lost.execId() + "; Spark runs it again from the same inputs");
    }

    /** Executors and cores still running, e.g. "1 executor (1 core)". */
    String summary() {
        int executors = live.size();
        int cores = live.values().stream().mapToInt(Executor::cores).sum();
        return executors + (executors == 1 ? " executor (" : " executors (") + cores + (cores == 1 ? " core)" : " cores)");
    }
}
