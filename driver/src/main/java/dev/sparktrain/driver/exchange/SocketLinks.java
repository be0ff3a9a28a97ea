package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers' connections over TCP, one {@link MessageLink} each, to a listener on an ephemeral port of the driver.
 * Every connection opens with {@link LinkSecurity}'s handshake and then the worker's {@code HELLO}, its partition,
 * within a time limit; a connection that fails any of it (a stranger, a wrong secret, a replayed handshake, a
 * truncated or unexpected message, silence) is refused with one logged line, and the driver goes on waiting for its
 * workers. The driver decodes only results, carries and errors from a worker; a worker decodes only what the driver
 * sends, and a round's task once per task ({@link WireCodec}).
 */
final class SocketLinks implements WorkerLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SocketLinks.class);
    /** How long a new connection has to prove itself and name its partition. */
    static final int OPENING_MILLIS = 10_000;

    private final ServerSocketChannel listener;
    private final Endpoint endpoint;
    private final int pollMillis;
    private final int openingMillis;
    private final MessageChannel.Liveness liveness;
    private final MessageLink[] workers;
    /** A round's task and plan go to every worker: each is laid out once. */
    private final MessageLink.Frames frames = new MessageLink.Frames();

    private SocketLinks(ServerSocketChannel listener, Endpoint endpoint, int workers, int pollMillis,
                        int openingMillis, MessageChannel.Liveness liveness) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.pollMillis = pollMillis;
        this.openingMillis = openingMillis;
        this.liveness = liveness;
        this.workers = new MessageLink[workers];
    }

    /**
     * Listens on {@code bindAddress} for {@code workers} workers, which reach it at {@code host} and open their links
     * under {@code security}; a connection has {@code openingMillis} to open; waits check {@code liveness} every
     * {@code pollMillis}.
     */
    static SocketLinks listen(String bindAddress, String host, int workers, int pollMillis, int openingMillis,
                              MessageChannel.Liveness liveness, LinkSecurity security) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(bindAddress, 0));
        listener.configureBlocking(false);
        Endpoint endpoint = new Endpoint(host, ((InetSocketAddress) listener.getLocalAddress()).getPort(), security);
        return new SocketLinks(listener, endpoint, workers, pollMillis, openingMillis, liveness);
    }

    @Override
    public WorkerEndpoint endpoint() {
        return endpoint;
    }

    /** Where the listener is reached. */
    InetSocketAddress address() {
        return new InetSocketAddress(endpoint.host(), endpoint.port());
    }

    @Override
    public void awaitWorkers() throws IOException {
        try (Selector accepting = Selector.open()) {
            listener.register(accepting, SelectionKey.OP_ACCEPT);
            for (int connected = 0; connected < workers.length; ) {
                if (accepting.select(pollMillis) == 0) {
                    liveness.check();
                    continue;
                }
                accepting.selectedKeys().clear();
                SocketChannel socket = listener.accept();
                if (socket != null && acceptWorker(socket)) {
                    connected++;
                }
            }
        }
    }

    /** Opens a connection and keeps it as its partition's channel, or refuses it with one logged line. */
    private boolean acceptWorker(SocketChannel socket) {
        String peer = "a connection";
        MessageChannel channel = null;
        try {
            peer = String.valueOf(socket.getRemoteAddress());
            channel = endpoint.security().accept(socket, pollMillis, openingMillis, liveness);
            int partition = (Integer) WireCodec.decode(channel.receive(), MessageChannel.HELLO);
            if (partition < 0 || partition >= workers.length || workers[partition] != null) {
                throw new IOException("worker partition must be a new one in [0, " + workers.length + "), got "
                        + partition);
            }
            channel.opened();
            workers[partition] = new MessageLink(channel);
            return true;
        } catch (IOException e) {
            LOG.warn("Refused a channel connection from {}: {}", peer, e.getMessage());
            closeQuietly(channel != null ? channel : socket);
            return false;
        }
    }

    /** Sends {@code body}; a round ({@code TASK}) goes as its task, when the worker does not hold it yet, and plan. */
    @Override
    public void send(int partition, byte type, Object body) throws IOException {
        workers[partition].send(type, body, frames);
    }

    @Override
    public Envelope receive(int partition) throws IOException {
        return workers[partition].receive(MessageChannel.RESULT, MessageChannel.CARRY, MessageChannel.FAILED);
    }

    @Override
    public LinkBytes bytes() {
        LinkBytes total = LinkBytes.ZERO;
        for (MessageLink worker : workers) {
            if (worker != null) {
                total = total.plus(worker.channel().bytes());
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (MessageLink worker : workers) {
            closeQuietly(worker);
        }
        closeQuietly(listener);
        frames.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all we wanted
        }
    }

    /** The driver's listener as the workers reach it, and how their links open. */
    private record Endpoint(String host, int port, LinkSecurity security) implements WorkerEndpoint {

        @Override
        public DriverLink connect(int partition) throws IOException {
            MessageLink link = new MessageLink(security.connect(new InetSocketAddress(host, port)));
            try {
                link.send(MessageChannel.HELLO, partition);
            } catch (IOException e) {
                link.close();
                throw e;
            }
            return new DriverLink() {
                @Override
                public void send(byte type, Object body) throws IOException {
                    link.send(type, body);
                }

                @Override
                public boolean sendsCopies() {
                    return true;
                }

                @Override
                public Envelope receive() throws IOException {
                    return link.receive(MessageChannel.TASK, MessageChannel.CARRY, MessageChannel.CARRY_BACK,
                            MessageChannel.END);
                }

                @Override
                public void close() {
                    link.close();
                }
            };
        }

        @Override
        public PeerLinks peers(int partition, TreeShape shape, String workerHost, PeerLinks.AddressBook book)
                throws IOException {
            return SocketPeers.open(partition, shape, workerHost, security, book);
        }

        @Override
        public String toString() {
            return host + ":" + port + " (" + security.describe() + ")";
        }
    }
}
