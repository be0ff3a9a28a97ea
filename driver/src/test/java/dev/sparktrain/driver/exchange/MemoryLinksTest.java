package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparktrain.ps.fused.DriverCores;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-memory links: a round's task posted to every worker reaches each one through the wake-up tree, replies come
 * back per partition (or all at once, for a round's results), closing or interrupting ends a worker's wait with an error, and a waiting worker runs blocks of
 * the driver's passes.
 */
class MemoryLinksTest {

    private static final int WORKERS = 6;
    private static final long SPIN = 200_000;

    /** Worker threads that each connect, then echo every task back with their partition until the channel ends. */
    private static List<CompletableFuture<Integer>> echoWorkers(MemoryLinks links) {
        WorkerLinks.WorkerEndpoint endpoint = links.endpoint();
        List<CompletableFuture<Integer>> served = new ArrayList<>();
        for (int p = 0; p < WORKERS; p++) {
            int partition = p;
            served.add(CompletableFuture.supplyAsync(() -> {
                int tasks = 0;
                try (WorkerLinks.DriverLink link = endpoint.connect(partition)) {
                    for (Envelope m = link.receive(); m.type() != MessageChannel.END; m = link.receive()) {
                        link.send(MessageChannel.RESULT, m.body() + "@" + partition);
                        tasks++;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return tasks;
            }, runnable -> new Thread(runnable, "worker-" + partition).start()));
        }
        return served;
    }

    /** Reads every worker's reply to {@code task}, in partition order. */
    private static void expectReplies(MemoryLinks links, String task) throws IOException {
        for (int p = 0; p < WORKERS; p++) {
            Envelope reply = links.receive(p);
            assertEquals(MessageChannel.RESULT, reply.type());
            assertEquals(task + "@" + p, reply.body());
        }
    }

    /** Reads every worker's reply to {@code task} at once, as a round's results are read. */
    private static void expectAllReplies(MemoryLinks links, String task) throws IOException {
        List<Envelope> replies = links.receiveFromAll(WORKERS);
        assertEquals(WORKERS, replies.size());
        for (int p = 0; p < WORKERS; p++) {
            assertEquals(MessageChannel.RESULT, replies.get(p).type());
            assertEquals(task + "@" + p, replies.get(p).body());
        }
    }

    /** Ends every worker's loop and checks that each served {@code tasks} tasks. */
    private static void endWorkers(MemoryLinks links, List<CompletableFuture<Integer>> workers, int tasks)
            throws Exception {
        for (int p = 0; p < WORKERS; p++) {
            links.send(p, MessageChannel.END, "");
        }
        for (CompletableFuture<Integer> worker : workers) {
            assertEquals(tasks, worker.get(30, TimeUnit.SECONDS));
        }
    }

    /** With no spin every wait parks; with a spin most messages arrive while their receiver spins. */
    @ParameterizedTest(name = "spin {0} ns")
    @ValueSource(longs = {0, 200_000, 50_000_000})
    void everyWorkerGetsEveryRoundsTaskAndRepliesInItsOwnQueue(long spinNanos) throws Exception {
        MemoryLinks links = MemoryLinks.open(WORKERS, 50, spinNanos, spinNanos, () -> { });
        try {
            List<CompletableFuture<Integer>> workers = echoWorkers(links);
            for (int round = 0; round < 200; round++) {
                links.sendToAll(WORKERS, MessageChannel.TASK, "round " + round);
                if (round % 2 == 0) {
                    expectReplies(links, "round " + round);
                } else {
                    expectAllReplies(links, "round " + round);
                }
            }
            endWorkers(links, workers, 200);
        } finally {
            links.close();
        }
    }

    @Test
    void aTaskSentBeforeAWorkerConnectsWaitsForIt() throws Exception {
        MemoryLinks links = MemoryLinks.open(WORKERS, 50, SPIN, SPIN, () -> { });
        try {
            links.sendToAll(WORKERS, MessageChannel.TASK, "early");
            List<CompletableFuture<Integer>> workers = echoWorkers(links);
            expectReplies(links, "early");
            endWorkers(links, workers, 1);
        } finally {
            links.close();
        }
    }

    @Test
    void closingEndsEveryWaitingWorkerWithAnError() throws Exception {
        MemoryLinks links = MemoryLinks.open(WORKERS, 50, SPIN, SPIN, () -> { });
        List<CompletableFuture<Integer>> workers = echoWorkers(links);
        // One round first: every worker has connected, and waits for the next task when the driver closes.
        links.sendToAll(WORKERS, MessageChannel.TASK, "only");
        expectReplies(links, "only");
        links.close();
        for (CompletableFuture<Integer> worker : workers) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> worker.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause().getCause());
            assertEquals("the driver closed the channel", e.getCause().getCause().getMessage());
        }
        IOException gone = assertThrows(IOException.class, () -> links.endpoint().connect(0));
        assertTrue(gone.getMessage().startsWith("no in-memory channel"), gone.getMessage());
    }

    @Test
    void anInterruptedWorkerStopsWaiting() throws Exception {
        MemoryLinks links = MemoryLinks.open(1, 50, SPIN, SPIN, () -> { });
        try {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try (WorkerLinks.DriverLink link = links.endpoint().connect(0)) {
                    link.receive();
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            worker.start();
            worker.interrupt();
            Throwable t = failure.get(30, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedIOException.class, t);
            worker.join();
        } finally {
            links.close();
        }
    }

    @Test
    void aSpinIsAWholeNumberOfMicrosecondsFromZeroToASecond() {
        assertEquals(0, ChannelTransport.spinNanos(ChannelTransport.SPIN_MICROS, "0"));
        assertEquals(200_000, ChannelTransport.spinNanos(ChannelTransport.SPIN_MICROS, " 200 "));
        for (String bad : List.of("-1", "1.5", "2000000", "soon")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChannelTransport.spinNanos(ChannelTransport.SPIN_MICROS, bad));
            assertEquals(ChannelTransport.SPIN_MICROS + " must be a whole number of microseconds in [0, 1000000], got '"
                    + bad.trim() + "'", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> MemoryLinks.open(1, 50, -1, SPIN, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> MemoryLinks.open(1, 50, SPIN, -1, () -> { }));
    }

    /**
     * A worker waiting for its next task runs blocks of the driver's pass over the vector: the pass's first block on
     * the driver's thread holds the pass until one block has run on the worker's thread.
     */
    @Test
    void aWaitingWorkerLendsItsCoreToTheDriversPasses() throws Exception {
        assumeTrue(DriverCores.shared().threads() > 1, "a JVM with one processor runs every pass on its caller");
        MemoryLinks links = MemoryLinks.open(1, 50, SPIN, TimeUnit.SECONDS.toNanos(1), () -> { });
        try {
            CompletableFuture<Thread> workerThread = new CompletableFuture<>();
            CompletableFuture<Object> nextTask = CompletableFuture.supplyAsync(() -> {
                try (WorkerLinks.DriverLink link = links.endpoint().connect(0)) {
                    workerThread.complete(Thread.currentThread());
                    link.send(MessageChannel.RESULT, link.receive().body());
                    return link.receive().body();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "lending-worker").start());
            links.send(0, MessageChannel.TASK, "first");
            assertEquals("first", links.receive(0).body());
            Thread worker = workerThread.get(30, TimeUnit.SECONDS);
            Thread driver = Thread.currentThread();
            int blocks = 64;
            Thread[] ranOn = new Thread[blocks];
            CountDownLatch lent = new CountDownLatch(1);
            DriverCores.shared().forEachBlock(blocks, b -> {
                ranOn[b] = Thread.currentThread();
                if (Thread.currentThread() == worker) {
                    lent.countDown();
                } else if (Thread.currentThread() == driver) {
                    try {
                        assertTrue(lent.await(30, TimeUnit.SECONDS), "no block ran on the waiting worker");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertTrue(Arrays.asList(ranOn).contains(worker));
            links.send(0, MessageChannel.TASK, "second");
            assertEquals("second", nextTask.get(30, TimeUnit.SECONDS));
        } finally {
            links.close();
        }
    }

    /**
     * The driver waiting for a round's results returns them in partition order once the last is in, never before:
     * here worker 1 answers first, and worker 0 only once the driver has waited a while.
     */
    @Test
    void theDriverWaitingForEveryResultReturnsWhenTheLastIsIn() throws Exception {
        MemoryLinks links = MemoryLinks.open(2, 50, SPIN, SPIN, () -> { });
        try {
            WorkerLinks.DriverLink first = links.endpoint().connect(0);
            WorkerLinks.DriverLink second = links.endpoint().connect(1);
            CompletableFuture<List<Envelope>> results = CompletableFuture.supplyAsync(() -> {
                try {
                    return links.receiveFromAll(2);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "driver").start());
            second.send(MessageChannel.RESULT, "from 1");
            assertThrows(TimeoutException.class, () -> results.get(300, TimeUnit.MILLISECONDS));
            first.send(MessageChannel.RESULT, "from 0");
            List<Envelope> replies = results.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("from 0", "from 1"), replies.stream().map(Envelope::body).toList());
        } finally {
            links.close();
        }
    }

    /** A driver waiting for results checks the workers' job between waits, and an interrupt ends its wait. */
    @Test
    void theDriverWaitingForEveryResultChecksTheJobAndStopsWhenInterrupted() throws Exception {
        MemoryLinks lost = MemoryLinks.open(2, 20, SPIN, SPIN, () -> {
            throw new WorkerLostException("the workers' job ended", null);
        });
        try {
            lost.endpoint().connect(0).send(MessageChannel.RESULT, "only one");
            WorkerLostException e = assertThrows(WorkerLostException.class, () -> lost.receiveFromAll(2));
            assertEquals("the workers' job ended", e.getMessage());
        } finally {
            lost.close();
        }
        MemoryLinks links = MemoryLinks.open(1, 50, SPIN, SPIN, () -> { });
        try {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread driver = new Thread(() -> {
                try {
                    links.receiveFromAll(1);
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            driver.start();
            driver.interrupt();
            assertInstanceOf(InterruptedIOException.class, failure.get(30, TimeUnit.SECONDS));
            driver.join();
        } finally {
            links.close();
        }
    }

    @Test
    void aPartitionConnectsOnce() throws Exception {
        MemoryLinks links = MemoryLinks.open(2, 50, SPIN, SPIN, () -> { });
        try {
            WorkerLinks.DriverLink first = links.endpoint().connect(1);
            assertSame(IOException.class, assertThrows(IOException.class, () -> links.endpoint().connect(1))
                    .getClass());
            assertThrows(IOException.class, () -> links.endpoint().connect(2));
            first.close();
        } finally {
            links.close();
        }
    }
}
