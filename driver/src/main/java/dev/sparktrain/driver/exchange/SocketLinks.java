package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers' connections over TCP, one {@link MessageChannel} each, to a listener on an ephemeral port of the driver.
 * A worker opens with a hello holding the job's secret and its partition; a connection without them is refused.
 */
final class SocketLinks implements WorkerLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SocketLinks.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerSocketChannel listener;
    private final Endpoint endpoint;
    private final int pollMillis;
    private final MessageChannel.Liveness liveness;
    private final MessageChannel[] workers;
    /** The last body sent and its frame, in a buffer kept across rounds: a round's task goes to every worker. */
    private Object framedBody;
    private byte framedType;
    private ByteBuffer frame;

    private SocketLinks(ServerSocketChannel listener, Endpoint endpoint, int workers, int pollMillis,
                        MessageChannel.Liveness liveness) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.pollMillis = pollMillis;
        this.liveness = liveness;
        this.workers = new MessageChannel[workers];
    }

    /**
     * Listens on {@code bindAddress} for {@code workers} workers, which reach it at {@code host}; waits check
     * {@code liveness} every {@code pollMillis}.
     */
    static SocketLinks listen(String bindAddress, String host, int workers, int pollMillis,
                              MessageChannel.Liveness liveness) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(bindAddress, 0));
        listener.configureBlocking(false);
        Endpoint endpoint = new Endpoint(host, ((InetSocketAddress) listener.getLocalAddress()).getPort(),
                RANDOM.nextLong());
        return new SocketLinks(listener, endpoint, workers, pollMillis, liveness);
    }

    @Override
    public WorkerEndpoint endpoint() {
        return endpoint;
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

    /** Reads a connection's hello; keeps it as its partition's channel, or refuses a stranger or a duplicate. */
    private boolean acceptWorker(SocketChannel socket) {
        MessageChannel channel = null;
        try {
            channel = MessageChannel.polling(socket, pollMillis, liveness);
            MessageChannel.Message hello = channel.receive();
            ByteBuffer graph = ByteBuffer.wrap(hello.body().graph());
            if (hello.type() != MessageChannel.HELLO || graph.remaining() != Long.BYTES + Integer.BYTES
                    || graph.getLong() != endpoint.secret()) {
                throw new IOException("a connection from " + socket.getRemoteAddress()
                        + " is not one of this job's workers");
            }
            int partition = graph.getInt();
            if (partition < 0 || partition >= workers.length || workers[partition] != null) {
                throw new IOException("worker partition must be a new one in [0, " + workers.length + "), got "
                        + partition);
            }
            workers[partition] = channel;
            return true;
        } catch (IOException e) {
            LOG.warn("Refused a channel connection: {}", e.getMessage());
            closeQuietly(channel != null ? channel : socket);
            return false;
        }
    }

    @Override
    public void send(int partition, byte type, Object body) throws IOException {
        if (frame == null || body != framedBody || type != framedType) {
            frame = MessageChannel.frame(type, BulkCodec.encode(body), frame);
            framedBody = body;
            framedType = type;
        }
        workers[partition].send(frame);
    }

    @Override
    public Envelope receive(int partition) throws IOException {
        return decode(workers[partition].receive());
    }

    @Override
    public LinkBytes bytes() {
        LinkBytes total = LinkBytes.ZERO;
        for (MessageChannel worker : workers) {
            if (worker != null) {
                total = total.plus(worker.bytes());
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (MessageChannel worker : workers) {
            closeQuietly(worker);
        }
        closeQuietly(listener);
        framedBody = null;
    }

    /** A received message as its sender gave it: a failure's text, or the decoded object. */
    static Envelope decode(MessageChannel.Message message) throws IOException {
        return message.type() == MessageChannel.FAILED ? new Envelope(message.type(), message.text())
                : new Envelope(message.type(), BulkCodec.decode(message.body(),
                        Thread.currentThread().getContextClassLoader()));
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

    /** The driver's listener as the workers reach it, and the job's secret. */
    private record Endpoint(String host, int port, long secret) implements WorkerEndpoint {

        @Override
        public DriverLink connect(int partition) throws IOException {
            MessageChannel channel = MessageChannel.blocking(SocketChannel.open(new InetSocketAddress(host, port)));
            try {
                ByteBuffer hello = ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(secret).putInt(partition);
                channel.send(MessageChannel.HELLO, new BulkCodec.Encoded(hello.array(), List.of()));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new DriverLink() {
                @Override
                public void send(byte type, Object body) throws IOException {
                    channel.send(type, type == MessageChannel.FAILED ? MessageChannel.text((String) body)
                            : BulkCodec.encode(body));
                }

                @Override
                public boolean sendsCopies() {
                    return true;
                }

                @Override
                public Envelope receive() throws IOException {
                    return decode(channel.receive());
                }

                @Override
                public void close() {
                    channel.close();
                }
            };
        }

        @Override
        public PeerLinks peers(int partition, TreeShape shape, String workerHost, PeerLinks.AddressBook book)
                throws IOException {
            return SocketPeers.open(partition, shape, workerHost, secret, book);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
