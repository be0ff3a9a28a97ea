package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's ends of its connections to the workers of a channel job: over TCP ({@link SocketLinks}), or in
 * memory when the workers' tasks run in the driver's own JVM ({@link MemoryLinks}, Spark's local mode). Every wait
 * checks, in short slices, that the workers' Spark job is still alive, and throws {@link WorkerLostException} when it
 * is not.
 */
interface WorkerLinks extends AutoCloseable {

    /** What the workers' tasks connect through: it travels inside the workers' Spark job. */
    WorkerEndpoint endpoint();

    /** Returns once every worker has connected. */
    void awaitWorkers() throws IOException;

    /** Sends {@code body} to {@code partition}'s worker. The same body sent to several workers in a row is encoded once. */
    void send(int partition, byte type, Object body) throws IOException;

    /**
     * Sends {@code body} to the workers of partitions 0 to {@code workers} − 1, all of which must be waiting for it: a
     * round's task. Links that can start the workers closer together than one send after another do so (a round
     * lasts as long as its last worker).
     */
    default void sendToAll(int workers, byte type, Object body) throws IOException {
        for (int partition = 0; partition < workers; partition++) {
            try {
                send(partition, type, body);
            } catch (IOException e) {
                throw new IOException("worker " + partition + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether the workers run on the driver's own cores (in its JVM): then driver work overlapped with theirs only
     * takes their cores, and is better done while they wait.
     */
    default boolean sharesDriverCores() {
        return false;
    }

    /** Bytes through these links so far ({@link LinkBytes#ZERO} in memory, where nothing is encoded). */
    default LinkBytes bytes() {
        return LinkBytes.ZERO;
    }

    /** The next message from {@code partition}'s worker. */
    Envelope receive(int partition) throws IOException;

    /**
     * The next message from each worker of partitions 0 to {@code workers} − 1, in partition order: a round's results.
     * Links whose waiting driver would take a core from a worker still computing wait for the last message at once.
     */
    default List<Envelope> receiveFromAll(int workers) throws IOException {
        List<Envelope> messages = new ArrayList<>(workers);
        for (int partition = 0; partition < workers; partition++) {
            try {
                messages.add(receive(partition));
            } catch (IOException e) {
                throw new IOException("worker " + partition + ": " + e.getMessage(), e);
            }
        }
        return messages;
    }

    /** Closes every connection: a worker waiting for a message gets an error, and its task ends. */
    @Override
    void close();

    /** How a worker's task reaches the driver. */
    interface WorkerEndpoint extends java.io.Serializable {

        /** {@code partition}'s end of its connection to the driver. */
        DriverLink connect(int partition) throws IOException;

        /**
         * {@code partition}'s links to the workers it exchanges with in {@code shape}, once all of them are open; a
         * worker that listens for others does so on {@code host}, and the workers learn each other's addresses through
         * {@code book}.
         */
        PeerLinks peers(int partition, TreeShape shape, String host, PeerLinks.AddressBook book) throws IOException;
    }

    /** A worker's end of its connection to the driver; waits block. */
    interface DriverLink extends AutoCloseable {

        void send(byte type, Object body) throws IOException;

        /**
         * Whether {@link #send} has sent a copy by the time it returns (TCP), so the sender may reuse what it sent;
         * otherwise the driver receives the object itself (in memory) and owns it.
         */
        boolean sendsCopies();

        Envelope receive() throws IOException;

        @Override
        void close();
    }
}
