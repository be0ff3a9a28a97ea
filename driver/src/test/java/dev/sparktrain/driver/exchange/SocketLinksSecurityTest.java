package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.SparkFixture;
import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.SyncRoundTask;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The driver's listener over real sockets on 127.0.0.1: while it waits for its workers, a stranger speaking another
 * protocol, a peer with a wrong secret, a silent one, one whose first message is cut short, one whose first message is
 * of an unexpected type, a replay of a real opening, and a peer asking for other encryption are each refused with one
 * logged line; the real workers then connect and finish two rounds whose sums equal the tasks' own, bit for bit. With
 * the job's own key, plain and encrypted, and with the key derived from Spark's secret under Spark's authentication
 * and network encryption.
 */
class SocketLinksSecurityTest {

    private static final byte[] KEY = "a job's key of 32 random bytes..".getBytes(StandardCharsets.US_ASCII);
    private static final int OPENING_MILLIS = 1500;
    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(5), List.of(new Dense(6, new Relu()),
            new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final List<DataBlock> ROWS = List.of(TestBlocks.random(16, 5, 3, 1, 1),
            TestBlocks.random(16, 5, 3, 1, 2));
    private static final RoundTask TASK = new SyncRoundTask(SPEC, 5, 8, false);

    /** How the test's links are keyed and whether they encrypt. */
    enum Keying {
        JOB_KEY_PLAIN, JOB_KEY_ENCRYPTED, SPARK_SECRET_ENCRYPTED;

        LinkSecurity security() {
            if (this != SPARK_SECRET_ENCRYPTED) {
                return LinkSecurity.withKey(KEY, this == JOB_KEY_ENCRYPTED, 128);
            }
            // A local Spark with its authentication and network encryption on: the links' key derives from its secret.
            JavaSparkContext sc = SparkFixture.context(Map.of("spark.authenticate", "true",
                    "spark.authenticate.secret", "the cluster's shared secret", "spark.network.crypto.enabled", "true"));
            return LinkSecurity.forJob(sc.getConf(), sc.env().securityManager());
        }
    }

    @AfterAll
    static void stopSpark() {
        SparkFixture.stop();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Keying.class)
    void strangersAreRefusedWithOneLineEachAndTheWorkersStillFinishTheirRounds(Keying keying) throws Exception {
        LinkSecurity security = keying.security();
        boolean encrypted = security.encrypted();
        assertEquals(keying != Keying.JOB_KEY_PLAIN, encrypted);
        try (LogLines log = LogLines.of(SocketLinks.class);
             SocketLinks links = SocketLinks.listen("127.0.0.1", "127.0.0.1", 2, 20, OPENING_MILLIS, () -> { },
                     security)) {
            CompletableFuture<Void> awaiting = CompletableFuture.runAsync(() -> MessageChannelTest.run(
                    links::awaitWorkers));
            InetSocketAddress driver = links.address();
            List<String> reasons = new ArrayList<>();

            try (SocketChannel http = SocketChannel.open(driver)) {
                http.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                awaitClosed(http);
            }
            reasons.add("the connecting peer is not a sparktrain link of version 1 (it opened with bytes 474554202f)");

            try (SocketChannel wrongSecret = SocketChannel.open(driver)) {
                // The protocol followed, with a proof under another key.
                ByteBuffer hello = ByteBuffer.allocate(38).put("STLK".getBytes(StandardCharsets.US_ASCII))
                        .put((byte) 1).put((byte) (encrypted ? 1 : 0)).put(random(32)).flip();
                wrongSecret.write(hello);
                readFully(wrongSecret, 70);
                wrongSecret.write(ByteBuffer.wrap(random(32)));
                awaitClosed(wrongSecret);
            }
            reasons.add("the connecting peer failed authentication: a wrong secret, or a replayed handshake");

            try (SocketChannel silent = SocketChannel.open(driver)) {
                awaitClosed(silent);
            }
            reasons.add("it did not open its link within " + OPENING_MILLIS + " ms");

            try (SocketChannel socket = SocketChannel.open(driver)) {
                MessageChannel cut = MessageChannel.blocking(socket);
                security.connect(cut);
                cut.writeRaw(ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN).putInt(100).array());
                socket.shutdownOutput();
                awaitClosed(socket);
            }
            reasons.add("truncated message: the other end closed the channel after 10 of 100 bytes");

            // A peer holding the key whose first message is a result, not its partition; a relay records its bytes.
            byte[] recorded;
            try (Relay relay = new Relay(driver)) {
                try (SocketChannel socket = SocketChannel.open(relay.address())) {
                    MessageChannel unexpected = MessageChannel.blocking(socket);
                    security.connect(unexpected);
                    unexpected.send(MessageChannel.RESULT, WireCodec.encode(MessageChannel.RESULT,
                            RoundSums.empty()));
                    awaitClosed(socket);
                }
                recorded = relay.recorded();
            }
            reasons.add("unexpected message type 3, expected one of [1]");

            try (SocketChannel replay = SocketChannel.open(driver)) {
                replay.write(ByteBuffer.wrap(recorded));
                awaitClosed(replay);
            }
            reasons.add("the connecting peer failed authentication: a wrong secret, or a replayed handshake");

            try (SocketChannel socket = SocketChannel.open(driver)) {
                IOException refused = assertThrows(IOException.class, () -> LinkSecurity.withKey(KEY, !encrypted, 128)
                        .connect(MessageChannel.blocking(socket)));
                assertEquals("the other end closed the channel", refused.getMessage());
            }
            reasons.add("the connecting peer asks for " + (encrypted ? "a plain" : "an encrypted")
                    + " link, but this job's links are " + (encrypted ? "encrypted" : "plain"));

            List<CompletableFuture<Integer>> workers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                workers.add(worker(links.endpoint(), p));
            }
            awaiting.get();
            for (int round = 0; round < 2; round++) {
                RoundPlan plan = new RoundPlan(1, round, new ParameterSnapshot(round,
                        SPEC.initialParameters(3 + round, DataType.FLOAT).toFloatVector()), null);
                links.sendToAll(2, MessageChannel.TASK, new ChannelWorker.Round(plan, TASK));
                RoundSums overLinks = RoundSums.empty();
                RoundSums expected = RoundSums.empty();
                for (int p = 0; p < 2; p++) {
                    Envelope reply = links.receive(p);
                    assertEquals(MessageChannel.RESULT, reply.type());
                    overLinks.merge((RoundSums) reply.body());
                    expected.merge(TASK.run(plan, p, ROWS.get(p), Carry.NONE).result());
                }
                assertEquals(16, overLinks.count());
                assertArrayEquals(expected.gradient(), overLinks.gradient(), "the round's sums, bit for bit");
            }
            for (int p = 0; p < 2; p++) {
                links.send(p, MessageChannel.END, "");
                assertEquals(2, workers.get(p).get(), "worker " + p + "'s rounds");
            }

            List<LogLines.Line> lines = log.lines();
            assertEquals(reasons.size(), lines.size(), "one line per refused connection: " + lines);
            for (int i = 0; i < reasons.size(); i++) {
                assertTrue(Pattern.matches("Refused a channel connection from /127\\.0\\.0\\.1:\\d+: "
                        + Pattern.quote(reasons.get(i)), lines.get(i).message()), lines.get(i).message());
                assertNull(lines.get(i).thrown(), "a refusal is one line, without a stack trace");
            }
        }
    }

    /** A worker's thread: connects, runs each round's task on its rows and answers, until the driver ends it. */
    private static CompletableFuture<Integer> worker(WorkerLinks.WorkerEndpoint endpoint, int partition) {
        return CompletableFuture.supplyAsync(() -> {
            int rounds = 0;
            try (WorkerLinks.DriverLink link = endpoint.connect(partition)) {
                for (Envelope m = link.receive(); m.type() != MessageChannel.END; m = link.receive()) {
                    ChannelWorker.Round round = (ChannelWorker.Round) m.body();
                    link.send(MessageChannel.RESULT, round.task().run(round.plan(), partition, ROWS.get(partition),
                            Carry.NONE).result());
                    rounds++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return rounds;
        }, runnable -> new Thread(runnable, "worker-" + partition).start());
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        new SecureRandom().nextBytes(out);
        return out;
    }

    private static void readFully(SocketChannel socket, int bytes) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(bytes);
        while (in.hasRemaining()) {
            if (socket.read(in) < 0) {
                throw new IOException("closed after " + in.position() + " bytes");
            }
        }
    }

    /** Reads until the driver closes the connection: its refusal has been logged by then. */
    private static void awaitClosed(SocketChannel socket) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            while (socket.read(sink.clear()) >= 0) {
                // what the driver says before it closes does not matter here
            }
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    /** Forwards one connection to {@code target} both ways, recording what the client sends. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocketChannel listener;
        private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
        private final List<Thread> pumps = new ArrayList<>();
        private SocketChannel client;
        private SocketChannel server;

        Relay(InetSocketAddress target) throws IOException {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread starter = new Thread(() -> {
                try {
                    client = listener.accept();
                    server = SocketChannel.open(target);
                    pump(client, server, true);
                    pump(server, client, false);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            starter.start();
            pumps.add(starter);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        private void pump(SocketChannel from, SocketChannel to, boolean record) {
            Thread pump = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                try {
                    while (from.read(buffer.clear()) >= 0) {
                        buffer.flip();
                        if (record) {
                            synchronized (clientBytes) {
                                clientBytes.write(buffer.array(), 0, buffer.limit());
                            }
                        }
                        while (buffer.hasRemaining()) {
                            to.write(buffer);
                        }
                    }
                    to.shutdownOutput();
                } catch (IOException closed) {
                    // either end went away: the relay ends
                }
            });
            pump.start();
            pumps.add(pump);
        }

        /** What the client sent, once both directions have ended. */
        byte[] recorded() throws InterruptedException {
            for (Thread pump : pumps) {
                pump.join(10_000);
            }
            synchronized (clientBytes) {
                return clientBytes.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }
}
