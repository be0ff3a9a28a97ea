package dev.sparktrain.driver.exchange;

import dev.sparktrain.ps.fused.DriverCores;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Workers' connections when their tasks run in the driver's JVM (Spark's local mode): a pair of queues each, found
 * by the job's key in a registry of this JVM. Messages are handed over as they are, without serializing: like a
 * broadcast value in local mode, the tasks only read what the driver sends (they compute on copies), and a result
 * belongs to whoever receives it. Over TCP a round moves its vectors through four copies and the kernel's socket
 * buffers; here it moves references.
 * <p>A round's task reaches the workers through a wake-up tree ({@link #sendToAll}): the driver posts every worker's
 * message, wakes worker 0 only, and each worker wakes its two children before it starts. Waking them one after
 * another from the driver left the second worker waiting for the driver (the first one woken took the driver's core,
 * and the scheduler moved the driver to the idle one only at its next tick; docs/performance.md, session 9): a round
 * lasts as long as its last worker.
 * <p>A wait that has been short lately spins for up to {@code spinNanos} before it parks: a wake-up from a park costs
 * tens of microseconds, more on a busy machine, twice per round, and a spin that catches the message costs none.
 * Each end of each link keeps a running mean of its waits and spins only while that mean is within the spin: a
 * worker waiting for its next task (the driver's update, short) spins, the driver waiting for results (the workers'
 * compute, long) parks at once, and on a loaded machine, where every wait grows, nobody spins on cores that others
 * need. A spin yields the core every few checks (docs/performance.md has the measured costs).
 * <p>The workers here run on the driver's cores, so a worker waiting for its next task lends its core to the
 * driver's passes over the vector ({@link DriverCores#lending}) as it spins: the update's blocks then run on threads
 * that are awake already, and the worker starts the next task on the core it holds. Its spin ({@code
 * workerSpinNanos}) counts only the time it did not lend.
 */
final class MemoryLinks implements WorkerLinks {

    private static final Map<Long, MemoryLinks> OPEN = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Stands in a worker's queue for "the driver closed the channel". */
    private static final Envelope CLOSED = new Envelope((byte) 0, null);
    /** A waiting worker also looks at its inbox this often: a lost wake-up costs time, never the job. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long key;
    private final int pollMillis;
    private final long spinNanos;
    private final long workerSpinNanos;
    private final DriverCores driverCores = DriverCores.shared();
    private final MessageChannel.Liveness liveness;
    private final Mailbox[] mailboxes;
    /** The driver's waits for a round's results ({@link #receiveFromAll}). */
    private final SpinningWait resultWaits = new SpinningWait();
    /** While the driver waits for a message from each of the first {@code awaited} workers (else 0), its thread. */
    private volatile int awaited;
    private volatile Thread waitingDriver;

    /**
     * One worker's queues. Messages to the worker wait in {@code toWorker} without waking it: {@link #post} and
     * {@link #wake} are separate so that a round's task can be posted to all workers before any of them is woken.
     */
    private static final class Mailbox {
        private final Queue<Envelope> toWorker = new ConcurrentLinkedQueue<>();
        private final BlockingQueue<Envelope> toDriver = new LinkedBlockingQueue<>();
        /** Messages from other workers ({@code tree} exchange), by sender. */
        private final Map<Integer, BlockingQueue<Envelope>> fromPeers = new ConcurrentHashMap<>();
        private final AtomicBoolean taken = new AtomicBoolean();
        /** The worker's thread, once it has connected. */
        private volatile Thread worker;
        /** Running means of the worker's waits for messages and of the driver's waits for results. */
        private final SpinningWait workerWaits = new SpinningWait();
        private final SpinningWait driverWaits = new SpinningWait();

        void post(Envelope message) {
            toWorker.add(message);
        }

        /** Posts the message and wakes the worker: a message for this worker alone. */
        void deliver(Envelope message) {
            post(message);
            wake();
        }

        /** Unparks the worker: a wake-up before it parks is not lost (it makes its next park return at once). */
        void wake() {
            LockSupport.unpark(worker);
        }

        boolean hasMail() {
            return !toWorker.isEmpty();
        }

        BlockingQueue<Envelope> from(int peer) {
            return fromPeers.computeIfAbsent(peer, p -> new LinkedBlockingQueue<>());
        }
    }

    private MemoryLinks(long key, int workers, int pollMillis, long spinNanos, long workerSpinNanos,
                        MessageChannel.Liveness liveness) {
        this.key = key;
        this.pollMillis = pollMillis;
        this.spinNanos = spinNanos;
        this.workerSpinNanos = workerSpinNanos;
        this.liveness = liveness;
        this.mailboxes = new Mailbox[workers];
        for (int p = 0; p < workers; p++) {
            mailboxes[p] = new Mailbox();
        }
    }

    /**
     * Opens {@code workers} workers' queues; the driver's waits spin for up to {@code spinNanos} before they park, the
     * workers' for up to {@code workerSpinNanos} of not lending, and the driver's check {@code liveness} every
     * {@code pollMillis}.
     */
    static MemoryLinks open(int workers, int pollMillis, long spinNanos, long workerSpinNanos,
                            MessageChannel.Liveness liveness) {
        if (spinNanos < 0 || workerSpinNanos < 0) {
            throw new IllegalArgumentException("a spin must be >= 0 ns, got " + spinNanos + " and " + workerSpinNanos);
        }
        while (true) {
            MemoryLinks links = new MemoryLinks(RANDOM.nextLong(), workers, pollMillis, spinNanos, workerSpinNanos,
                    liveness);
            if (OPEN.putIfAbsent(links.key, links) == null) {
                return links;
            }
        }
    }

    @Override
    public WorkerEndpoint endpoint() {
        return new Endpoint(key);
    }

    @Override
    public boolean sharesDriverCores() {
        return true;
    }

    /** Nothing to wait for: messages wait in the queues until their worker takes them. */
    @Override
    public void awaitWorkers() {
    }

    @Override
    public void send(int partition, byte type, Object body) {
        mailboxes[partition].deliver(new Envelope(type, body));
    }

    /** Posts the message to every worker, then wakes worker 0, which passes the wake-up on ({@link #wakeChildren}). */
    @Override
    public void sendToAll(int workers, byte type, Object body) {
        Envelope message = new Envelope(type, body);
        for (int p = 0; p < workers; p++) {
            mailboxes[p].post(message);
        }
        mailboxes[0].wake();
    }

    /** Wakes the children of {@code partition} in the wake-up tree (2p + 1 and 2p + 2) that have mail. */
    private void wakeChildren(int partition) {
        for (int child = 2 * partition + 1; child <= 2 * partition + 2 && child < mailboxes.length; child++) {
            if (mailboxes[child].hasMail()) {
                mailboxes[child].wake();
            }
        }
    }

    @Override
    public Envelope receive(int partition) throws IOException {
        BlockingQueue<Envelope> queue = mailboxes[partition].toDriver;
        SpinningWait waits = mailboxes[partition].driverWaits;
        long start = System.nanoTime();
        Envelope message = waits.spin(queue::poll, spinNanos, null);
        try {
            while (message == null && (message = queue.poll(pollMillis, TimeUnit.MILLISECONDS)) == null) {
                liveness.check();
            }
            waits.record(start, spinNanos);
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for worker " + partition);
        }
    }

    /**
     * Waits until each of the first {@code workers} workers has a message for the driver, and only then wakes: a
     * driver woken by the first result needs a core while the other workers still compute, and on a machine with as
     * many cores as workers it takes one of theirs (then spun on it, waiting for the next result). The workers' sends
     * wake the driver when the last one is in ({@link #wakeDriverIfAllIn}).
     */
    @Override
    public List<Envelope> receiveFromAll(int workers) throws IOException {
        long start = System.nanoTime();
        if (resultWaits.spin(() -> allHaveMail(workers) ? Boolean.TRUE : null, spinNanos, null) == null) {
            waitingDriver = Thread.currentThread();
            awaited = workers;
            try {
                long slice = TimeUnit.MILLISECONDS.toNanos(pollMillis);
                long sliceEnd = System.nanoTime() + slice;
                while (!allHaveMail(workers)) {
                    LockSupport.parkNanos(this, Math.max(1, sliceEnd - System.nanoTime()));
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("the workers: interrupted while waiting for their results");
                    }
                    if (System.nanoTime() - sliceEnd >= 0) {
                        liveness.check();
                        sliceEnd = System.nanoTime() + slice;
                    }
                }
            } finally {
                awaited = 0;
            }
        }
        resultWaits.record(start, spinNanos);
        List<Envelope> messages = new ArrayList<>(workers);
        for (int partition = 0; partition < workers; partition++) {
            messages.add(mailboxes[partition].toDriver.poll());
        }
        return messages;
    }

    private boolean allHaveMail(int workers) {
        for (int partition = 0; partition < workers; partition++) {
            if (mailboxes[partition].toDriver.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * After a worker's message to the driver: wakes a driver waiting for all results once they are all in. The
     * message is in its queue before this reads {@code awaited}, and the driver sets {@code awaited} before it looks
     * at the queues, so one of them sees the other: the last message in always wakes a waiting driver.
     */
    private void wakeDriverIfAllIn() {
        int workers = awaited;
        if (workers > 0 && allHaveMail(workers)) {
            LockSupport.unpark(waitingDriver);
        }
    }

    @Override
    public void close() {
        if (OPEN.remove(key, this)) {
            for (Mailbox mailbox : mailboxes) {
                mailbox.deliver(CLOSED);
            }
        }
    }

    /** The job's key in this JVM's registry. */
    private record Endpoint(long key) implements WorkerEndpoint {

        private MemoryLinks links() throws IOException {
            MemoryLinks links = OPEN.get(key);
            if (links == null) {
                throw new IOException("no in-memory channel " + key + " in this JVM: the workers' job has ended, or "
                        + "this worker runs in another process than the driver");
            }
            return links;
        }

        /** Queues between the workers' threads, by sender; a wait ends when the driver closes the channel. */
        @Override
        public PeerLinks peers(int partition, TreeShape shape, String host, PeerLinks.AddressBook book)
                throws IOException {
            MemoryLinks links = links();
            return new PeerLinks() {
                @Override
                public void send(int peer, byte type, Object body) {
                    links.mailboxes[peer].from(partition).add(new Envelope(type, body));
                }

                @Override
                public Envelope receive(int peer) throws IOException {
                    BlockingQueue<Envelope> queue = links.mailboxes[partition].from(peer);
                    try {
                        Envelope message;
                        while ((message = queue.poll(RECHECK_NANOS, TimeUnit.NANOSECONDS)) == null) {
                            if (OPEN.get(key) != links) {
                                throw new IOException("the driver closed the channel");
                            }
                        }
                        return message;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for worker " + peer);
                    }
                }

                @Override
                public boolean sendsCopies() {
                    return false;
                }

                @Override
                public void close() {
                    // the driver's close ends the job's queues
                }
            };
        }

        @Override
        public DriverLink connect(int partition) throws IOException {
            MemoryLinks links = links();
            if (partition < 0 || partition >= links.mailboxes.length
                    || !links.mailboxes[partition].taken.compareAndSet(false, true)) {
                throw new IOException("worker partition must be a new one in [0, " + links.mailboxes.length
                        + "), got " + partition);
            }
            Mailbox mailbox = links.mailboxes[partition];
            // The thread that connects is the one that receives: the worker's task.
            mailbox.worker = Thread.currentThread();
            return new DriverLink() {
                @Override
                public void send(byte type, Object body) {
                    mailbox.toDriver.add(new Envelope(type, body));
                    links.wakeDriverIfAllIn();
                }

                @Override
                public boolean sendsCopies() {
                    return false;
                }

                @Override
                public Envelope receive() throws IOException {
                    long start = System.nanoTime();
                    Envelope message = mailbox.workerWaits.spin(mailbox.toWorker::poll, links.workerSpinNanos,
                            links.driverCores);
                    while (message == null && (message = mailbox.toWorker.poll()) == null) {
                        LockSupport.parkNanos(this, RECHECK_NANOS);
                        if (Thread.interrupted()) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted while waiting for the driver");
                        }
                    }
                    mailbox.workerWaits.record(start, links.workerSpinNanos);
                    links.wakeChildren(partition);
                    if (message == CLOSED) {
                        throw new IOException("the driver closed the channel");
                    }
                    return message;
                }

                @Override
                public void close() {
                    // the driver's close ends the job's queues
                }
            };
        }

        @Override
        public String toString() {
            return "in-memory channel " + key;
        }
    }
}
