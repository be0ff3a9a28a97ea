package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Workers' connections when their tasks run in the driver's JVM (Spark's local mode): a pair of queues each, found
 * by the job's key in a registry of this JVM. Messages are handed over as they are, without serializing: like a
 * broadcast value in local mode, the tasks only read what the driver sends (they compute on copies, see
 * {@code TaskScratch}), and the driver is done with a round's results before it sends the next tasks (a result's
 * vector lives in an array its worker reuses, {@code TaskScratch.resultArray}). Over TCP a round moves its
 * vectors through four copies and the kernel's socket buffers; here it moves references.
 */
final class MemoryLinks implements WorkerLinks {

    private static final Map<Long, MemoryLinks> OPEN = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Stands in a worker's queue for "the driver closed the channel". */
    private static final Envelope CLOSED = new Envelope((byte) 0, null);

    private final long key;
    private final int pollMillis;
    private final MessageChannel.Liveness liveness;
    private final Mailbox[] mailboxes;

    private record Mailbox(BlockingQueue<Envelope> toWorker, BlockingQueue<Envelope> toDriver, AtomicBoolean taken) {
    }

    private MemoryLinks(long key, int workers, int pollMillis, MessageChannel.Liveness liveness) {
        this.key = key;
        this.pollMillis = pollMillis;
        this.liveness = liveness;
        this.mailboxes = new Mailbox[workers];
        for (int p = 0; p < workers; p++) {
            mailboxes[p] = new Mailbox(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new AtomicBoolean());
        }
    }

    /** Opens {@code workers} workers' queues; waits check {@code liveness} every {@code pollMillis}. */
    static MemoryLinks open(int workers, int pollMillis, MessageChannel.Liveness liveness) {
        while (true) {
            MemoryLinks links = new MemoryLinks(RANDOM.nextLong(), workers, pollMillis, liveness);
            if (OPEN.putIfAbsent(links.key, links) == null) {
                return links;
            }
        }
    }

    @Override
    public WorkerEndpoint endpoint() {
        return new Endpoint(key);
    }

    /** Nothing to wait for: messages wait in the queues until their worker takes them. */
    @Override
    public void awaitWorkers() {
    }

    @Override
    public void send(int partition, byte type, Object body) {
        mailboxes[partition].toWorker().add(new Envelope(type, body));
    }

    @Override
    public Envelope receive(int partition) throws IOException {
        try {
            Envelope message;
            while ((message = mailboxes[partition].toDriver().poll(pollMillis, TimeUnit.MILLISECONDS)) == null) {
                liveness.check();
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for worker " + partition);
        }
    }

    @Override
    public void close() {
        if (OPEN.remove(key, this)) {
            for (Mailbox mailbox : mailboxes) {
                mailbox.toWorker().add(CLOSED);
            }
        }
    }

    /** The job's key in this JVM's registry. */
    private record Endpoint(long key) implements WorkerEndpoint {

        @Override
        public DriverLink connect(int partition) throws IOException {
            MemoryLinks links = OPEN.get(key);
            if (links == null) {
                throw new IOException("no in-memory channel " + key + " in this JVM: the workers' job has ended, or "
                        + "this worker runs in another process than the driver");
            }
            if (partition < 0 || partition >= links.mailboxes.length
                    || !links.mailboxes[partition].taken().compareAndSet(false, true)) {
                throw new IOException("worker partition must be a new one in [0, " + links.mailboxes.length
                        + "), got " + partition);
            }
            Mailbox mailbox = links.mailboxes[partition];
            return new DriverLink() {
                @Override
                public void send(byte type, Object body) {
                    mailbox.toDriver().add(new Envelope(type, body));
                }

                @Override
                public Envelope receive() throws IOException {
                    try {
                        Envelope message = mailbox.toWorker().take();
                        if (message == CLOSED) {
                            throw new IOException("the driver closed the channel");
                        }
                        return message;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the driver");
                    }
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
