package dev.sparktrain.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.scheduler.TaskLocality;
import org.apache.spark.scheduler.cluster.ExecutorInfo;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.immutable.Map$;

class ExecutorLossListenerTest {

    private static SparkListenerExecutorAdded added(String id, String host, int cores) {
        return new SparkListenerExecutorAdded(0L, id, new ExecutorInfo(host, cores, Map$.MODULE$.empty()));
    }

    private static SparkListenerExecutorRemoved removed(String id, String reason) {
        return new SparkListenerExecutorRemoved(1L, id, reason);
    }

    @Test
    void executorsJoiningAtTheStartAreNotNews() {
        ExecutorLossListener listener = new ExecutorLossListener();
        assertEquals(Optional.empty(), listener.addedMessage(added("0", "10.0.0.1", 1)));
        assertEquals(Optional.empty(), listener.addedMessage(added("1", "10.0.0.2", 2)));
        assertEquals("2 executors (3 cores)", listener.summary());
    }

    @Test
    void aLossNamesTheExecutorItsHostTheReasonAndWhatIsLeft() {
        ExecutorLossListener listener = new ExecutorLossListener();
        listener.addedMessage(added("0", "10.0.0.1", 1));
        listener.addedMessage(added("1", "10.0.0.2", 1));
        assertEquals(Optional.of("executor 1 on 10.0.0.2 lost (Worker shutting down); training continues on "
                        + "1 executor (1 core); Spark re-runs its tasks and recomputes its cached blocks, so the result "
                        + "is unchanged"),
                listener.removedMessage(removed("1", "Worker shutting down")));
        assertEquals(Optional.of("executor 2 added on 10.0.0.3; training now runs on 2 executors (2 cores)"),
                listener.addedMessage(added("2", "10.0.0.3", 1)));
    }

    @Test
    void losingTheLastExecutorSaysTrainingWaits() {
        ExecutorLossListener listener = new ExecutorLossListener();
        listener.addedMessage(added("0", "h", 1));
        String message = listener.removedMessage(removed("0", "Command exited with code 137")).orElseThrow();
        assertTrue(message.startsWith("executor 0 on h lost (Command exited with code 137); no executor left"),
                message);
    }

    @Test
    void executorsStoppedAtTheEndOfTheApplicationAreNotLosses() {
        ExecutorLossListener listener = new ExecutorLossListener();
        listener.addedMessage(added("0", "h", 1));
        listener.onApplicationEnd(new SparkListenerApplicationEnd(2L, Option.empty()));
        assertEquals(Optional.empty(), listener.removedMessage(removed("0", "Application finished")));
    }

    @Test
    void aTaskLostWithItsExecutorIsNamedOtherTaskEndsAreNot() {
        ExecutorLossListener listener = new ExecutorLossListener();
        TaskInfo info = new TaskInfo(24L, 0, 0, 1, 0L, "3", "h", TaskLocality.PROCESS_LOCAL(), false);
        SparkListenerTaskEnd lost = new SparkListenerTaskEnd(12, 0, "ResultTask",
                new ExecutorLostFailure("3", true, Option.apply("Command exited with code 137")), info, null, null);
        assertEquals(Optional.of("task for partition 1 of stage 12 was lost with executor 3; Spark runs it again "
                + "from the same inputs"), listener.taskLostMessage(lost));
        SparkListenerTaskEnd fine = new SparkListenerTaskEnd(12, 0, "ResultTask", Success$.MODULE$, info, null, null);
        assertEquals(Optional.empty(), listener.taskLostMessage(fine));
    }
}
