package dev.sparktrain.driver.exchange;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One end of a worker's channel: messages of a type byte, a Java-serialized object graph and its large float arrays
 * as raw little-endian bytes ({@link BulkCodec}), through direct buffers kept for the channel's life (a fresh native
 * buffer per message would cost page faults on every round).
 *
 * <p>A message is {@code type, graph length, array count, each array's length, graph bytes, each array's floats}. A
 * worker opens with {@code HELLO}, whose graph is the job's secret and the worker's partition; then, per round, the
 * driver sends {@code TASK} and the worker answers {@code RESULT} or {@code FAILED} (its graph the error's text);
 * a block that carries worker state starts with {@code CARRY} to each worker and ends with {@code CARRY_BACK}, which
 * the worker answers with {@code CARRY}; {@code END} ends the worker's task.
 *
 * <p>The driver's end is non-blocking and waits in short slices, checking between them that the workers' Spark job is
 * still alive, so a lost executor cannot leave the driver waiting for bytes that never come. A worker's end blocks.
 */
final class MessageChannel implements AutoCloseable {

    static final byte HELLO = 1;
    static final byte TASK = 2;
    static final byte RESULT = 3;
    static final byte FAILED = 4;
    static final byte END = 5;
    static final byte CARRY = 6;
    static final byte CARRY_BACK = 7;

    /** Checks the workers' job; throws {@link WorkerLostException} when it has failed or ended. */
    interface Liveness {
        void check();
    }

    /** A received message; its arrays are fresh and belong to the receiver. */
    record Message(byte type, BulkCodec.Encoded body) {

        String text() {
            return new String(body.graph(), StandardCharsets.UTF_8);
        }
    }

    private static final int HEADER_BYTES = 9;
    private static final int MAX_ARRAYS = 1 << 16;

    private final SocketChannel channel;
    private final Selector selector;
    private final int pollMillis;
    private final Liveness liveness;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer sendBuffer;
    private ByteBuffer receiveBuffer;
    private long bytesSent;
    private long bytesReceived;

    private MessageChannel(SocketChannel channel, Selector selector, int pollMillis, Liveness liveness) {
        this.channel = channel;
        this.selector = selector;
        this.pollMillis = pollMillis;
        this.liveness = liveness;
    }

    /** A worker's end: blocking. */
    static MessageChannel blocking(SocketChannel channel) throws IOException {
        channel.configureBlocking(true);
        channel.socket().setTcpNoDelay(true);
        return new MessageChannel(channel, null, 0, null);
    }

    /** The driver's end: waits in slices of {@code pollMillis}, calling {@code liveness} between them. */
    static MessageChannel polling(SocketChannel channel, int pollMillis, Liveness liveness) throws IOException {
        channel.configureBlocking(false);
        channel.socket().setTcpNoDelay(true);
        Selector selector = Selector.open();
        channel.register(selector, 0);
        return new MessageChannel(channel, selector, pollMillis, liveness);
    }

    /** {@code type} and {@code body} laid out as one message in {@code reuse} if it is large enough, ready to send. */
    static ByteBuffer frame(byte type, BulkCodec.Encoded body, ByteBuffer reuse) {
        List<float[]> arrays = body.arrays();
        long size = HEADER_BYTES + 4L * arrays.size() + body.graph().length + 4L * body.floatCount();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a message must be under 2 GiB, got " + size + " bytes");
        }
        ByteBuffer out = reuse != null && reuse.capacity() >= size ? reuse.clear()
                : ByteBuffer.allocateDirect((int) Math.max(size, reuse == null ? 0 : 2L * reuse.capacity()))
                        .order(ByteOrder.LITTLE_ENDIAN);
        out.put(type).putInt(body.graph().length).putInt(arrays.size());
        arrays.forEach(a -> out.putInt(a.length));
        out.put(body.graph());
        for (float[] a : arrays) {
            out.asFloatBuffer().put(a);
            out.position(out.position() + 4 * a.length);
        }
        return out.flip();
    }

    static BulkCodec.Encoded text(String text) {
        return new BulkCodec.Encoded(text.getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** Sends a message framed by {@link #frame}; the frame is not changed, so it can go to other workers as well. */
    void send(ByteBuffer frame) throws IOException {
        writeFully(frame.duplicate());
    }

    /** Frames and sends a message in this channel's own buffer. */
    void send(byte type, BulkCodec.Encoded body) throws IOException {
        sendBuffer = frame(type, body, sendBuffer);
        send(sendBuffer);
    }

    Message receive() throws IOException {
        readFully(header.clear());
        header.flip();
        byte type = header.get();
        int graphLength = header.getInt();
        int arrayCount = header.getInt();
        if (graphLength < 0 || arrayCount < 0 || arrayCount > MAX_ARRAYS) {
            throw new IOException("malformed message: graph of " + graphLength + " bytes, " + arrayCount + " arrays");
        }
        ByteBuffer lengths = receive(4L * arrayCount);
        int[] sizes = new int[arrayCount];
        long floats = 0;
        for (int i = 0; i < arrayCount; i++) {
            sizes[i] = lengths.getInt();
            if (sizes[i] < 0) {
                throw new IOException("malformed message: array of " + sizes[i] + " floats");
            }
            floats += sizes[i];
        }
        ByteBuffer body = receive(graphLength + 4L * floats);
        byte[] graph = new byte[graphLength];
        body.get(graph);
        List<float[]> arrays = new ArrayList<>(arrayCount);
        for (int size : sizes) {
            float[] a = new float[size];
            body.asFloatBuffer().get(a);
            body.position(body.position() + 4 * size);
            arrays.add(a);
        }
        return new Message(type, new BulkCodec.Encoded(graph, arrays));
    }

    /** The next {@code size} bytes, in the kept receive buffer. */
    private ByteBuffer receive(long size) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IOException("malformed message: " + size + " bytes");
        }
        if (receiveBuffer == null || receiveBuffer.capacity() < size) {
            receiveBuffer = ByteBuffer.allocateDirect((int) Math.max(size, receiveBuffer == null ? 0
                    : Math.min(Integer.MAX_VALUE, 2L * receiveBuffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer target = receiveBuffer.clear().limit((int) size);
        readFully(target);
        return target.flip();
    }

    /** Bytes sent and received through this channel so far. */
    LinkBytes bytes() {
        return new LinkBytes(bytesSent, bytesReceived);
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        bytesSent += bytes.remaining();
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    private void readFully(ByteBuffer bytes) throws IOException {
        bytesReceived += bytes.remaining();
        while (bytes.hasRemaining()) {
            int n = channel.read(bytes);
            if (n < 0) {
                throw new EOFException("the other end closed the channel");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ);
            }
        }
    }

    private void await(int operation) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(operation);
        while (selector.select(pollMillis) == 0) {
            liveness.check();
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() {
        try {
            channel.close();
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
