package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Objects with large and small float arrays cross a channel intact; a polling end notices a dead job. */
class MessageChannelTest {

    /** Shares one large array between two fields, and holds a small one and a map of large ones. */
    record Payload(String name, float[] large, float[] sameLarge, float[] small, Map<String, float[]> slots)
            implements Serializable {
    }

    private ServerSocketChannel listener;
    private MessageChannel workerEnd;
    private SocketChannel driverSocket;

    @BeforeEach
    void connect() throws Exception {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        workerEnd = MessageChannel.blocking(SocketChannel.open(listener.getLocalAddress()));
        driverSocket = listener.accept();
    }

    @AfterEach
    void close() throws Exception {
        workerEnd.close();
        driverSocket.close();
        listener.close();
    }

    private static float[] ramp(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * scale - 1e-7f * i * i;
        }
        return a;
    }

    @Test
    void aGraphWithLargeAndSmallArraysArrivesBitwiseEqual() throws Exception {
        float[] large = ramp(300_000, 0.37f);
        large[5] = Float.NaN;
        large[6] = Float.NEGATIVE_INFINITY;
        Map<String, float[]> slots = new LinkedHashMap<>();
        slots.put("m", ramp(BulkCodec.MIN_BULK_FLOATS, -1.5f));
        slots.put("v", ramp(4000, 2e-9f));
        Payload sent = new Payload("round 3", large, large, ramp(BulkCodec.MIN_BULK_FLOATS - 1, 3f), slots);

        BulkCodec.Encoded encoded = BulkCodec.encode(sent);
        // The three distinct large arrays travel raw (the shared one once); the small one stays in the graph.
        assertEquals(3, encoded.arrays().size());
        try (MessageChannel driverEnd = MessageChannel.polling(driverSocket, 50, () -> { })) {
            // Messages larger than the socket buffers: the sender runs beside the receiver.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(driverEnd, MessageChannel.TASK,
                    encoded));
            MessageChannel.Message message = workerEnd.receive();
            sending.get();
            assertEquals(MessageChannel.TASK, message.type());
            Payload received = (Payload) BulkCodec.decode(message.body(), getClass().getClassLoader());
            assertEquals("round 3", received.name());
            assertArrayEquals(large, received.large());
            assertTrue(received.large() == received.sameLarge(), "a shared array stays shared");
            assertArrayEquals(sent.small(), received.small());
            assertEquals(slots.keySet(), received.slots().keySet());
            slots.forEach((k, v) -> assertArrayEquals(v, received.slots().get(k)));

            // Replies of other sizes reuse and grow the buffers at both ends.
            for (int n : new int[] {10, 2_000_000, 5}) {
                BulkCodec.Encoded result = BulkCodec.encode(ramp(n, 0.5f));
                sending = CompletableFuture.runAsync(() -> send(workerEnd, MessageChannel.RESULT, result));
                MessageChannel.Message reply = driverEnd.receive();
                sending.get();
                assertEquals(MessageChannel.RESULT, reply.type());
                assertTrue(Arrays.equals(ramp(n, 0.5f),
                        (float[]) BulkCodec.decode(reply.body(), getClass().getClassLoader())));
            }
        }
    }

    private static void send(MessageChannel channel, byte type, BulkCodec.Encoded body) {
        try {
            channel.send(type, body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPollingEndWaitingForAMessageStopsWhenTheJobIsGone() throws Exception {
        int[] checks = {0};
        try (MessageChannel driverEnd = MessageChannel.polling(driverSocket, 10, () -> {
            if (++checks[0] == 3) {
                throw new WorkerLostException("the block's Spark job ended before the block did", null);
            }
        })) {
            WorkerLostException e = assertThrows(WorkerLostException.class, driverEnd::receive);
            assertEquals("the block's Spark job ended before the block did", e.getMessage());
            assertEquals(3, checks[0]);
        }
    }

    @Test
    void aClosedPeerIsAnEndOfFile() throws Exception {
        try (MessageChannel driverEnd = MessageChannel.polling(driverSocket, 10, () -> { })) {
            workerEnd.close();
            assertThrows(EOFException.class, driverEnd::receive);
        }
    }
}
