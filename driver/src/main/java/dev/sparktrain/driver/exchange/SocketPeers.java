package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's TCP links to the workers it exchanges with in the {@code tree} exchange: one {@link MessageLink} per
 * pair and direction, opened by the sender. Each worker listens on an ephemeral port of its host, the workers learn
 * each other's addresses through Spark's barrier {@code allGather}, and a link opens as a worker's link to the driver
 * does ({@link LinkSecurity}: the handshake proves both ends hold the job's link key, sealed when Spark encrypts),
 * then the sender names its partition. Any other connection is refused with one logged line. Every wait blocks; the
 * barrier task's interruption (when the driver ends the workers' job) ends it. Links go from lower partitions to
 * higher ones only, so the handshakes, which wait for the accepting end, complete from the highest worker down.
 */
final class SocketPeers implements PeerLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SocketPeers.class);

    private final Map<Integer, MessageLink> outgoing;
    private final Map<Integer, MessageLink> incoming;

    private SocketPeers(Map<Integer, MessageLink> outgoing, Map<Integer, MessageLink> incoming) {
        this.outgoing = outgoing;
        this.incoming = incoming;
    }

    /** Opens {@code partition}'s links in {@code shape}, listening on {@code host}, secured by {@code security}. */
    static SocketPeers open(int partition, TreeShape shape, String host, LinkSecurity security, AddressBook book)
            throws IOException {
        Set<Integer> sendsTo = shape.sendsTo(partition);
        Set<Integer> receivesFrom = shape.receivesFrom(partition);
        Map<Integer, MessageLink> outgoing = new HashMap<>();
        Map<Integer, MessageLink> incoming = new HashMap<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(host, 0))) {
            List<String> addresses = book.share(host + ":" + ((InetSocketAddress) listener.getLocalAddress())
                    .getPort());
            try {
                // Connections complete in the listeners' backlogs, so every worker connects before it accepts.
                for (int peer : sendsTo) {
                    MessageLink link = new MessageLink(security.connect(address(addresses.get(peer))));
                    outgoing.put(peer, link);
                    link.send(MessageChannel.HELLO, partition);
                }
                while (incoming.size() < receivesFrom.size()) {
                    accept(listener.accept(), security, receivesFrom, incoming);
                }
            } catch (IOException | RuntimeException e) {
                outgoing.values().forEach(MessageLink::close);
                incoming.values().forEach(MessageLink::close);
                throw e;
            }
        }
        return new SocketPeers(outgoing, incoming);
    }

    /** Keeps a connection that proves it holds the link key and names an expected sender; refuses any other. */
    private static void accept(SocketChannel socket, LinkSecurity security, Set<Integer> expected,
                               Map<Integer, MessageLink> incoming) throws IOException {
        String peer = String.valueOf(socket.getRemoteAddress());
        MessageChannel channel = MessageChannel.blocking(socket);
        try {
            security.accept(channel);
            int from = (Integer) WireCodec.decode(channel.receive(), MessageChannel.HELLO);
            if (!expected.contains(from) || incoming.containsKey(from)) {
                throw new IOException("expected a new connection from workers " + expected + ", got one from "
                        + from);
            }
            incoming.put(from, new MessageLink(channel));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Refused a worker-to-worker connection from {}: {}", peer, e.getMessage());
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
        MessageLink link = outgoing.get(peer);
        if (link == null) {
            throw new IllegalArgumentException("no link to worker " + peer + ", only to " + outgoing.keySet());
        }
        link.send(type, body);
    }

    @Override
    public Envelope receive(int peer) throws IOException {
        MessageLink link = incoming.get(peer);
        if (link == null) {
            throw new IllegalArgumentException("no link from worker " + peer + ", only from " + incoming.keySet());
        }
        // From the parent: a round or the block's end; from the previous worker: running sums or a failure.
        return link.receive(MessageChannel.TASK, MessageChannel.CARRY_BACK, MessageChannel.RESULT,
                MessageChannel.FAILED);
    }

    @Override
    public boolean sendsCopies() {
        return true;
    }

    @Override
    public void close() {
        outgoing.values().forEach(MessageLink::close);
        incoming.values().forEach(MessageLink::close);
    }
}
