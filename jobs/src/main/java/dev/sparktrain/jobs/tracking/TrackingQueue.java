package dev.sparktrain.jobs.tracking;

import dev.sparktrain.jobs.tracking.MlflowStore.RunRef;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends a run's requests to its {@link MlflowStore} from one background thread, in order, so the round loop never
 * waits for the network. The first request opens the run (creates it, or reopens a resumed one); the others log to
 * it. While the store fails with a retryable error the head request is tried again with a growing pause (0.5 s
 * doubling to 30 s) and new requests wait in a bounded queue; beyond {@code capacity} they are dropped. A request
 * the store refuses for good is dropped. The first failure of either kind is reported by one warning; everything
 * dropped or still waiting when {@link #finish} gives up is listed in its {@link Outcome}.
 */
final class TrackingQueue {

    /** What a request carries, for the account of what was not sent. */
    enum Kind { METRICS, PARAMS, TAGS, ARTIFACT, END }

    /** One request: {@code count} items of {@code kind}, {@code label} naming them (an artifact's path). */
    record Request(Kind kind, int count, String label, Consumer<RunRef> action) {
    }

    /** Requests not sent, and why the first failure happened (null when all went through). */
    record Outcome(RunRef run, List<Request> notSent, String firstFailure) {
        boolean complete() {
            return notSent.isEmpty() && firstFailure == null;
        }
    }

    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long LONGEST_PAUSE_MILLIS = 30_000;

    private final Supplier<RunRef> opener;
    private final int capacity;
    private final Consumer<String> warn;
    private final Consumer<RunRef> onOpened;
    private final Deque<Request> queue = new LinkedBlockingDeque<>();
    private final List<Request> dropped = new ArrayList<>();
    private final Object lock = new Object();
    private final Thread thread;
    private RunRef run;
    private String openFailure;
    private String firstFailure;
    private boolean finishing;
    private long deadlineNanos = Long.MAX_VALUE;

    /**
     * Starts the thread. {@code opener} opens the run, {@code onOpened} hears of it once opened (the run id is kept),
     * {@code warn} gets the one warning line.
     */
    TrackingQueue(String name, Supplier<RunRef> opener, Consumer<RunRef> onOpened, int capacity,
                  Consumer<String> warn) {
        this.opener = opener;
        this.onOpened = onOpened;
        this.capacity = capacity;
        this.warn = warn;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code request}; never blocks. A full queue drops it (named at the end). */
    void submit(Request request) {
        synchronized (lock) {
            if (finishing) {
                throw new IllegalStateException("the tracking queue is finishing; nothing more can be sent");
            }
            if (queue.size() >= capacity) {
                dropped.add(request);
                failed("the queue of " + capacity + " requests is full (tracking.mlflow.queue_size); later ones"
                        + " are dropped");
                return;
            }
            queue.addLast(request);
            lock.notifyAll();
        }
    }

    /**
     * Queues {@code last} (the run's end: artifacts, status) even past the capacity, then waits up to
     * {@code waitSeconds} for everything to be sent. A store that cannot be reached at all is not waited for.
     */
    Outcome finish(List<Request> last, double waitSeconds) {
        synchronized (lock) {
            if (!finishing) {
                queue.addAll(last);
                finishing = true;
                deadlineNanos = System.nanoTime() + (long) (waitSeconds * 1e9);
                lock.notifyAll();
            }
        }
        try {
            thread.join(Math.max(1, (long) (waitSeconds * 1000)) + 1000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            List<Request> notSent = new ArrayList<>(dropped);
            notSent.addAll(queue);
            return new Outcome(run, notSent, firstFailure != null ? firstFailure : openFailure);
        }
    }

    private void loop() {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            Request next;
            synchronized (lock) {
                while (queue.isEmpty() && !finishing && run != null) {
                    waitQuietly(0);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                if (queue.isEmpty() && finishing) {
                    return;
                }
                next = queue.peekFirst();
                if (openFailure != null) {
                    // The run could not be opened for good: nothing can be sent to it.
                    dropped.addAll(queue);
                    queue.clear();
                    if (finishing) {
                        return;
                    }
                    continue;
                }
            }
            try {
                if (run == null) {
                    RunRef opened = opener.get();
                    synchronized (lock) {
                        run = opened;
                    }
                    onOpened.accept(opened);
                } else if (next != null) {
                    next.action().accept(run);
                    synchronized (lock) {
                        queue.pollFirst();
                    }
                }
                pause = FIRST_PAUSE_MILLIS;
            } catch (TrackingException e) {
                synchronized (lock) {
                    failed(e.getMessage());
                    if (!e.retryable()) {
                        if (run == null) {
                            openFailure = e.getMessage();
                        } else {
                            dropped.add(queue.pollFirst());
                        }
                        continue;
                    }
                    if (finishing && (e.unreachable() || System.nanoTime() >= deadlineNanos)) {
                        return;
                    }
                    long left = finishing ? (deadlineNanos - System.nanoTime()) / 1_000_000 : Long.MAX_VALUE;
                    waitQuietly(Math.max(1, Math.min(pause, left)));
                    pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                // A bug or an unexpected answer: never let it stop training; account for the request.
                synchronized (lock) {
                    failed(e.toString());
                    if (run == null) {
                        openFailure = e.toString();
                    } else {
                        dropped.add(queue.pollFirst());
                    }
                }
            }
        }
    }

    /** Records a failure; the first one is the warning line. Called holding the lock. */
    private void failed(String message) {
        if (firstFailure == null) {
            firstFailure = message;
            warn.accept(message);
        }
    }

    private void waitQuietly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
