package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers' connections over TCP, one {@link MessageChannel} each, to a listener on an ephemeral port of the driver.
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
    private final MessageChannel[] workers;
    /** The task each worker holds: a round's task goes to a worker once ({@code TASK_CODE}), then its plans. */
    private final RoundTask[] heldTasks;
    /** The last body sent and its frame, in a buffer kept across rounds: a round's plan goes to every worker. */
    private Object framedBody;
    private byte framedType;
    private ByteBuffer frame;
    private RoundTask codedTask;
    private ByteBuffer codeFrame;

    private SocketLinks(ServerSocketChannel listener, Endpoint endpoint, int workers, int pollMillis,
                        int openingMillis, MessageChannel.Liveness liveness) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.pollMillis = pollMillis;
        this.openingMillis = openingMillis;
        this.liveness = liveness;
        this.workers = new MessageChannel[workers];
        this.heldTasks = new RoundTask[workers];
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
            workers[partition] = channel;
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
        Object sent = body;
        if (type == MessageChannel.TASK) {
            ChannelWorker.Round round = (ChannelWorker.Round) body;
            if (heldTasks[partition] != round.task()) {
                if (codedTask != round.task()) {
                    codeFrame = MessageChannel.frame(MessageChannel.TASK_CODE,
                            WireCodec.encode(MessageChannel.TASK_CODE, round.task()), codeFrame);
                    codedTask = round.task();
                }
                workers[partition].send(codeFrame);
                heldTasks[partition] = round.task();
            }
            sent = round.plan();
        }
        if (frame == null || sent != framedBody || type != framedType) {
            frame = MessageChannel.frame(type, WireCodec.encode(type, sent), frame);
            framedBody = sent;
            framedType = type;
        }
        workers[partition].send(frame);
    }

    @Override
    public Envelope receive(int partition) throws IOException {
        MessageChannel.Message message = workers[partition].receive();
        return new Envelope(message.type(), WireCodec.decode(message, MessageChannel.RESULT, MessageChannel.CARRY,
                MessageChannel.FAILED));
    }

    @Override
    public void close() {
        for (MessageChannel worker : workers) {
            closeQuietly(worker);
        }
        closeQuietly(listener);
        framedBody = null;
        codedTask = null;
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
            MessageChannel channel = security.connect(new InetSocketAddress(host, port));
            try {
                channel.send(MessageChannel.HELLO, WireCodec.encode(MessageChannel.HELLO, partition));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new DriverLink() {
                /** The task the driver sent last: its rounds' plans arrive without it. */
                private RoundTask task;

                @Override
                public void send(byte type, Object body) throws IOException {
                    channel.send(type, WireCodec.encode(type, body));
                }

                @Override
                public boolean sendsCopies() {
                    return true;
                }

                @Override
                public Envelope receive() throws IOException {
                    while (true) {
                        MessageChannel.Message message = channel.receive();
                        Object body = WireCodec.decode(message, MessageChannel.TASK_CODE, MessageChannel.TASK,
                                MessageChannel.CARRY, MessageChannel.CARRY_BACK, MessageChannel.END);
                        if (message.type() == MessageChannel.TASK_CODE) {
                            task = (RoundTask) body;
                        } else if (message.type() == MessageChannel.TASK) {
                            if (task == null) {
                                throw new IOException("the driver sent a round before its task");
                            }
                            return new Envelope(MessageChannel.TASK, new ChannelWorker.Round((RoundPlan) body, task));
                        } else {
                            return new Envelope(message.type(), body);
                        }
                    }
                }

                @Override
                public void close() {
                    channel.close();
                }
            };
        }

        @Override
        public String toString() {
            return host + ":" + port + " (" + security.describe() + ")";
        }
    }
}
