package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's TCP links to the workers it exchanges with in the {@code tree} exchange: one {@link MessageChannel} per
 * pair and direction, opened by the sender. Each worker listens on an ephemeral port of its host, the workers learn
 * each other's addresses through Spark's barrier {@code allGather}, and a connection opens with the same hello as a
 * worker's connection to the driver: the job's secret and the sender's partition. A connection without them is
 * refused. Every wait blocks; the barrier task's interruption (when the driver ends the workers' job) ends it.
 */
final class SocketPeers implements PeerLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SocketPeers.class);

    private final Map<Integer, MessageChannel> outgoing;
    private final Map<Integer, MessageChannel> incoming;

    private SocketPeers(Map<Integer, MessageChannel> outgoing, Map<Integer, MessageChannel> incoming) {
        this.outgoing = outgoing;
        this.incoming = incoming;
    }

    /** Opens {@code partition}'s links in {@code shape}, listening on {@code host}, with the job's {@code secret}. */
    static SocketPeers open(int partition, TreeShape shape, String host, long secret, AddressBook book)
            throws IOException {
        Set<Integer> sendsTo = shape.sendsTo(partition);
        Set<Integer> receivesFrom = shape.receivesFrom(partition);
        Map<Integer, MessageChannel> outgoing = new HashMap<>();
        Map<Integer, MessageChannel> incoming = new HashMap<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(host, 0))) {
            List<String> addresses = book.share(host + ":" + ((InetSocketAddress) listener.getLocalAddress())
                    .getPort());
            try {
                // Connections complete in the listeners' backlogs, so every worker connects before it accepts.
                for (int peer : sendsTo) {
                    MessageChannel channel = MessageChannel.blocking(SocketChannel.open(address(addresses.get(peer))));
                    outgoing.put(peer, channel);
                    ByteBuffer hello = ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(secret)
                            .putInt(partition);
                    channel.send(MessageChannel.HELLO, new BulkCodec.Encoded(hello.array(), List.of()));
                }
                while (incoming.size() < receivesFrom.size()) {
                    accept(listener.accept(), secret, receivesFrom, incoming);
                }
            } catch (IOException | RuntimeException e) {
                outgoing.values().forEach(MessageChannel::close);
                incoming.values().forEach(MessageChannel::close);
                throw e;
            }
        }
        return new SocketPeers(outgoing, incoming);
    }

    /** Keeps a connection whose hello names an expected sender with the job's secret; refuses any other. */
    private static void accept(SocketChannel socket, long secret, Set<Integer> expected,
                               Map<Integer, MessageChannel> incoming) throws IOException {
        MessageChannel channel = MessageChannel.blocking(socket);
        try {
            MessageChannel.Message hello = channel.receive();
            ByteBuffer graph = ByteBuffer.wrap(hello.body().graph());
            if (hello.type() != MessageChannel.HELLO || graph.remaining() != Long.BYTES + Integer.BYTES
                    || graph.getLong() != secret) {
                throw new IOException("a connection from " + socket.getRemoteAddress()
                        + " is not one of this job's workers");
            }
            int peer = graph.getInt();
            if (!expected.contains(peer) || incoming.containsKey(peer)) {
                throw new IOException("expected a new connection from workers " + expected + ", got one from "
                        + peer);
            }
            incoming.put(peer, channel);
        } catch (IOException e) {
            LOG.warn("Refused a worker-to-worker connection: {}", e.getMessage());
            channel.close();
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon
                + 1)));
    }

    @Override
    public void send(int peer, byte type, Object body) throws IOException {
        MessageChannel channel = outgoing.get(peer);
        if (channel == null) {
            throw new IllegalArgumentException("no link to worker " + peer + ", only to " + outgoing.keySet());
        }
        channel.send(type, type == MessageChannel.FAILED ? MessageChannel.text((String) body)
                : BulkCodec.encode(body));
    }

    @Override
    public Envelope receive(int peer) throws IOException {
        MessageChannel channel = incoming.get(peer);
        if (channel == null) {
            throw new IllegalArgumentException("no link from worker " + peer + ", only from " + incoming.keySet());
        }
        return SocketLinks.decode(channel.receive());
    }

    @Override
    public boolean sendsCopies() {
        return true;
    }

    @Override
    public void close() {
        outgoing.values().forEach(MessageChannel::close);
        incoming.values().forEach(MessageChannel::close);
    }
}
