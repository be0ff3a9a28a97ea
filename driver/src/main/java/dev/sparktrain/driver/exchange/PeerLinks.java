package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.util.List;

/**
 * A worker's links to the other workers it exchanges with directly in the {@code tree} exchange ({@link TreeShape}):
 * a connection per pair of workers and direction, found by partition. Waits block; a closed or failed channel ends
 * them with an {@link IOException}.
 */
interface PeerLinks extends AutoCloseable {

    /** Sends {@code body} to worker {@code peer}, one this worker was opened to send to. */
    void send(int peer, byte type, Object body) throws IOException;

    /** The next message from worker {@code peer}, one this worker was opened to receive from. */
    Envelope receive(int peer) throws IOException;

    /**
     * Whether {@link #send} has sent a copy by the time it returns (TCP), so the sender may reuse what it sent;
     * otherwise the receiver gets the object itself (in memory) and owns it.
     */
    boolean sendsCopies();

    @Override
    void close();

    /** How the workers of one barrier job learn each other's addresses: Spark's {@code allGather}. */
    @FunctionalInterface
    interface AddressBook {

        /** Every worker's address in partition order, once each has given its own. */
        List<String> share(String mine) throws IOException;
    }
}
