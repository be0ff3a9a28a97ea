package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/**
 * The CLI's one classifier: each kind of exception, as Spark, Hadoop and the JVM throw it (wrapped, or only as text
 * in a task failure's message), becomes one line and the exit code of its kind.
 */
class FailureTest {

    private static void assertFailure(int exitCode, String line, Throwable e) {
        Failure f = Failure.of(e);
        assertEquals(line, f.line());
        assertEquals(exitCode, f.exitCode(), f.toString());
        assertEquals(1, f.line().lines().count(), "one line");
    }

    /** What a SparkException thrown on the driver says about a task that failed on an executor. */
    private static RuntimeException taskFailure(String remote) {
        return new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent "
                + "failure: Lost task 0.3 in stage 3.0 (TID 12) (127.0.0.1 executor 1): " + remote
                + "\n\tat dev.sparktrain.Some.method(Some.java:12)\n\tat java.base/java.lang.Thread.run(Thread.java:840)"
                + "\n\nDriver stacktrace:");
    }

    @Test
    void badInputIsTheIllegalArgumentExceptionAnywhereInTheChainOrInATaskFailuresText() {
        assertFailure(2, "error: train.csv line 3: field 'c' is 'x', expected a number", new RuntimeException("wrap",
                new IllegalStateException("outer", new IllegalArgumentException(
                        "train.csv line 3: field 'c' is 'x', expected a number"))));
        assertFailure(2, "error: bad label", taskFailure("java.lang.IllegalArgumentException: bad label"));
    }

    @Test
    void environmentFaultsNameTheCauseAndWhatToDo() {
        assertFailure(3, "error: cannot write: /runs/x/model/params.npy: No space left on device; free disk space and run again",
                new UncheckedIOException("cannot write", new FileSystemException("/runs/x/model/params.npy", null,
                        "No space left on device")));
        assertFailure(3, "error: /data/train.csv: permission denied; check the file's and its folder's permissions",
                new RuntimeException(new AccessDeniedException("/data/train.csv")));
        assertFailure(3, "error: data.csv: cannot read: Permission denied; check the file's and its folder's "
                + "permissions", new UncheckedIOException("data.csv: cannot read: Permission denied",
                new IOException("Permission denied")));
        assertFailure(3, "error: out of memory in the driver's Java heap (Java heap space); give the JVM more, e.g. "
                + "JAVA_OPTS=-Xmx12g bin/sparktrain ..., or lower training.eval_batch_size",
                new OutOfMemoryError("Java heap space"));
        assertFailure(3, "error: cannot load a native library (no jnind4jcpu in java.library.path); sparktrain needs "
                + "x86-64 Linux with glibc, and room in ~/.javacpp/cache (set -Dorg.bytedeco.javacpp.cachedir=DIR in "
                + "JAVA_OPTS to use another folder)", new UnsatisfiedLinkError("no jnind4jcpu in java.library.path"));
        assertFailure(3, "error: cannot load a native library (Could not initialize class org.nd4j.linalg.factory.Nd4j); "
                + "sparktrain needs x86-64 Linux with glibc, and room in ~/.javacpp/cache (set "
                + "-Dorg.bytedeco.javacpp.cachedir=DIR in JAVA_OPTS to use another folder)",
                new NoClassDefFoundError("Could not initialize class org.nd4j.linalg.factory.Nd4j"));
        assertFailure(3, "error: the Spark master did not answer (All masters are unresponsive); check spark.master / "
                + "--master and that the master runs (bin/local-cluster status)", new IllegalStateException(
                "Cannot call methods on a stopped SparkContext", new RuntimeException(
                "Application has been killed. Reason: All masters are unresponsive! Giving up.")));
        assertFailure(3, "error: Spark stopped during the run (a standalone master that did not answer the "
                + "application, or ended it); check spark.master / --master and the master's log",
                new IllegalStateException("Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext "
                        + "was created at:\n\norg.apache.spark.SparkContext.<init>"));
        assertFailure(3, "error: cannot connect: Connection refused; check that the host and port are right and the "
                + "service runs", new ConnectException("Connection refused"));
        assertFailure(3, "error: a Spark task failed: java.io.IOException: No space left on device",
                taskFailure("java.io.IOException: No space left on device"));
    }

    @Test
    void interruptsExitWith130() {
        assertFailure(130, "error: interrupted", new RuntimeException(new InterruptedException()));
        assertFailure(130, "error: interrupted", new UncheckedIOException(
                new java.nio.channels.ClosedByInterruptException()));
    }

    @Test
    void aFailedRunSaysWhyAndAnUnexpectedErrorSaysItIsABug() {
        assertFailure(1, "error: non-finite loss in epoch 2", new IllegalStateException("non-finite loss in epoch 2"));
        assertFailure(1, "error: worker 1 holds no state", taskFailure(
                "java.lang.IllegalStateException: worker 1 holds no state"));
        assertFailure(1, "error: internal error: java.lang.NullPointerException: x is null (a bug: please report it "
                + "with the stack trace that SPARKTRAIN_TRACE=1 prints)", new RuntimeException(
                new NullPointerException("x is null")));
    }
}
