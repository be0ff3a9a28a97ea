package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames with large and small float arrays cross a link intact, plain and encrypted; on an encrypted link a replayed,
 * altered or cut frame is refused; a polling end notices a dead job.
 */
class MessageChannelTest {

    private static final byte[] KEY = "the job's key, 32 bytes at least".getBytes(StandardCharsets.US_ASCII);

    private ServerSocketChannel listener;
    private SocketChannel workerSocket;
    private SocketChannel driverSocket;

    @BeforeEach
    void connect() throws Exception {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        workerSocket = SocketChannel.open(listener.getLocalAddress());
        driverSocket = listener.accept();
    }

    @AfterEach
    void close() throws Exception {
        workerSocket.close();
        driverSocket.close();
        listener.close();
    }

    static float[] ramp(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * scale - 1e-7f * i * i;
        }
        return a;
    }

    /** Both ends of a link, opened with the handshake under {@code security}. */
    private MessageChannel[] open(LinkSecurity security) throws Exception {
        MessageChannel driverEnd = MessageChannel.polling(driverSocket, 50, () -> { });
        MessageChannel workerEnd = MessageChannel.blocking(workerSocket);
        CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> run(() -> security.accept(driverEnd)));
        security.connect(workerEnd);
        accepting.get();
        return new MessageChannel[] {driverEnd, workerEnd};
    }

    @ParameterizedTest(name = "encrypted: {0}")
    @ValueSource(booleans = {false, true})
    void framesOfEverySizeArriveBitwiseEqual(boolean encrypted) throws Exception {
        MessageChannel[] ends = open(LinkSecurity.withKey(KEY, encrypted, 128));
        try (MessageChannel driverEnd = ends[0]; MessageChannel workerEnd = ends[1]) {
            float[] large = ramp(300_000, 0.37f);
            large[5] = Float.NaN;
            large[6] = Float.NEGATIVE_INFINITY;
            WireCodec.Encoded sent = new WireCodec.Encoded(new byte[] {1, 2, 3}, List.of(large, ramp(3, 2f), large));
            // Messages larger than the socket buffers: the sender runs beside the receiver.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> run(() -> driverEnd.send(
                    MessageChannel.TASK, sent)));
            MessageChannel.Message message = workerEnd.receive();
            sending.get();
            assertEquals(MessageChannel.TASK, message.type());
            assertArrayEquals(new byte[] {1, 2, 3}, message.body().fields());
            assertEquals(3, message.body().arrays().size());
            assertArrayEquals(large, message.body().arrays().get(0));
            assertArrayEquals(ramp(3, 2f), message.body().arrays().get(1));
            assertArrayEquals(large, message.body().arrays().get(2));

            // Replies of other sizes reuse and grow the buffers at both ends.
            for (int n : new int[] {10, 2_000_000, 0, 5}) {
                WireCodec.Encoded result = new WireCodec.Encoded(new byte[0], List.of(ramp(n, 0.5f)));
                sending = CompletableFuture.runAsync(() -> run(() -> workerEnd.send(MessageChannel.RESULT, result)));
                MessageChannel.Message reply = driverEnd.receive();
                sending.get();
                assertEquals(MessageChannel.RESULT, reply.type());
                assertArrayEquals(ramp(n, 0.5f), reply.body().arrays().get(0));
            }
        }
    }

    /**
     * What a man in the middle could do to an encrypted link: the worker's sealed frames are read raw off the driver's
     * socket, then written, replayed, changed or cut, into fresh channels holding the driver's receiving key.
     */
    @Test
    void anEncryptedLinkRefusesAReplayedAChangedAndACutFrame() throws Exception {
        byte[] key = new byte[16];
        new java.security.SecureRandom().nextBytes(key);
        try (MessageChannel workerEnd = MessageChannel.blocking(workerSocket);
             ServerSocketChannel relayListener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            workerEnd.seal(new FrameSeal(key), new FrameSeal(key));
            workerEnd.send(MessageChannel.RESULT, new WireCodec.Encoded(new byte[] {7}, List.of(ramp(2000, 1f))));
            ByteBuffer first = readRawFrame(driverSocket);
            workerEnd.send(MessageChannel.RESULT, new WireCodec.Encoded(new byte[] {8}, List.of()));
            ByteBuffer second = readRawFrame(driverSocket);

            try (SocketChannel injector = SocketChannel.open(relayListener.getLocalAddress());
                 MessageChannel receiving = receiving(relayListener, key)) {
                injector.write(first.duplicate());
                assertArrayEquals(new byte[] {7}, receiving.receive().body().fields());
                injector.write(second.duplicate());
                assertArrayEquals(new byte[] {8}, receiving.receive().body().fields());
                injector.write(second.duplicate());
                IOException replayed = assertThrows(IOException.class, receiving::receive);
                assertEquals("message 2 failed authentication: it was replayed, reordered, altered or sealed with "
                        + "another key", replayed.getMessage());
            }
            try (SocketChannel injector = SocketChannel.open(relayListener.getLocalAddress());
                 MessageChannel receiving = receiving(relayListener, key)) {
                injector.write(second.duplicate());
                assertThrows(IOException.class, receiving::receive, "frames out of order fail their tags");
            }
            try (SocketChannel injector = SocketChannel.open(relayListener.getLocalAddress());
                 MessageChannel receiving = receiving(relayListener, key)) {
                ByteBuffer changed = copy(first);
                changed.put(100, (byte) (changed.get(100) ^ 1));
                injector.write(changed);
                assertThrows(IOException.class, receiving::receive, "a changed bit fails the tag");
            }
            try (SocketChannel injector = SocketChannel.open(relayListener.getLocalAddress());
                 MessageChannel receiving = receiving(relayListener, key)) {
                injector.write(copy(first).limit(first.limit() / 2));
                injector.close();
                EOFException cut = assertThrows(EOFException.class, receiving::receive);
                assertTrue(cut.getMessage().startsWith("truncated message: the other end closed the channel after "),
                        cut.getMessage());
            }
        }
    }

    /** The next connection to {@code relayListener}, opening frames sealed with {@code key} from the first on. */
    private static MessageChannel receiving(ServerSocketChannel relayListener, byte[] key) throws IOException {
        MessageChannel channel = MessageChannel.polling(relayListener.accept(), 50, () -> { });
        channel.seal(null, new FrameSeal(key));
        return channel;
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer out = ByteBuffer.allocate(bytes.remaining());
        out.put(bytes.duplicate());
        return out.flip();
    }

    /** One frame as it travels: its length prefix and its bytes. */
    private static ByteBuffer readRawFrame(SocketChannel socket) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        while (length.hasRemaining()) {
            socket.read(length);
        }
        int size = length.flip().getInt();
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.put(length.rewind());
        while (frame.hasRemaining()) {
            socket.read(frame);
        }
        return frame.flip();
    }

    @Test
    void aPlainLinkRefusesAFrameCutShortOneOfANegativeLengthAndOneWhosePartsDoNotAddUp() throws Exception {
        MessageChannel[] ends = open(LinkSecurity.withKey(KEY, false, 128));
        try (MessageChannel driverEnd = ends[0]) {
            // A frame that claims 2 arrays of 1000 floats but holds 8 bytes after its header.
            ByteBuffer bad = ByteBuffer.allocate(4 + 9 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
            bad.putInt(9 + 8 + 8).put(MessageChannel.RESULT).putInt(0).putInt(2).putInt(1000).putInt(1000)
                    .putLong(0).flip();
            workerSocket.write(bad);
            IOException malformed = assertThrows(IOException.class, driverEnd::receive);
            assertEquals("malformed message: 8 bytes for fields of 0 bytes and 2000 floats", malformed.getMessage());

            ByteBuffer negative = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE);
            workerSocket.write(negative.flip());
            assertEquals("malformed message: a frame of -2147483648 bytes",
                    assertThrows(IOException.class, driverEnd::receive).getMessage());

            ByteBuffer cut = ByteBuffer.allocate(4 + 5).order(ByteOrder.LITTLE_ENDIAN);
            cut.putInt(100).put(MessageChannel.RESULT).putInt(0).flip();
            workerSocket.write(cut);
            workerSocket.close();
            EOFException truncated = assertThrows(EOFException.class, driverEnd::receive);
            assertEquals("truncated message: the other end closed the channel after 5 of 100 bytes",
                    truncated.getMessage());
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
            workerSocket.close();
            EOFException e = assertThrows(EOFException.class, driverEnd::receive);
            assertEquals("the other end closed the channel", e.getMessage());
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    static void run(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
