package dev.sparktrain.driver.exchange;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One end of a link of the exchange: messages of a type byte, fixed fields ({@link WireCodec}) and raw little-endian
 * float arrays, through direct buffers kept for the channel's life (a fresh native buffer per message would cost page
 * faults on every round). A link opens with {@link LinkSecurity}'s handshake, read and written with {@link #readRaw}
 * and {@link #writeRaw}; after it, every message travels as a frame, sealed ({@link FrameSeal}) when the link is
 * encrypted.
 *
 * <p>On the wire a frame is its length (4 bytes) and then its bytes, or their sealed form:
 * {@code type, fields length, array count, each array's length, the fields, each array's floats}. A worker's first
 * frame is {@code HELLO}, its partition; then, per round, the driver sends {@code TASK} (preceded by {@code TASK_CODE}
 * when the worker does not hold the round's task yet) and the worker answers {@code RESULT} or {@code FAILED} (the
 * error's text); a block that carries worker state starts with {@code CARRY} to each worker and ends with
 * {@code CARRY_BACK}, which the worker answers with {@code CARRY}; {@code END} ends the worker's task.
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
    static final byte TASK_CODE = 8;

    /** Checks the workers' job; throws {@link WorkerLostException} when it has failed or ended. */
    interface Liveness {
        void check();
    }

    /** A received message; its arrays are fresh and belong to the receiver. */
    record Message(byte type, WireCodec.Encoded body) {
    }

    private static final int LENGTH_BYTES = 4;
    private static final int HEADER_BYTES = 9;
    private static final int MAX_ARRAYS = 1 << 16;

    private final SocketChannel channel;
    private final Selector selector;
    private final int pollMillis;
    private final Liveness liveness;
    private final ByteBuffer sendLength = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer receiveLength = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer sendBuffer;
    private ByteBuffer receiveBuffer;
    /** Set once the handshake has agreed on keys: this end's outgoing and incoming frames are sealed. */
    private FrameSeal sealOut;
    private FrameSeal sealIn;
    private ByteBuffer sealedOut;
    private ByteBuffer sealedIn;
    /** While the link opens: the time by which it must have opened ({@link #openWithin}), or 0 once it has. */
    private long openBy;
    private int openingMillis;
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

    /** {@code type} and {@code body} laid out as one frame in {@code reuse} if it is large enough, ready to send. */
    static ByteBuffer frame(byte type, WireCodec.Encoded body, ByteBuffer reuse) {
        List<float[]> arrays = body.arrays();
        long size = HEADER_BYTES + 4L * arrays.size() + body.fields().length + 4L * body.floatCount();
        if (size > Integer.MAX_VALUE - FrameSeal.TAG_BYTES) {
            throw new IllegalArgumentException("a message must be under 2 GiB, got " + size + " bytes");
        }
        ByteBuffer out = reuse != null && reuse.capacity() >= size ? reuse.clear()
                : ByteBuffer.allocateDirect((int) Math.max(size, reuse == null ? 0
                        : Math.min(Integer.MAX_VALUE, 2L * reuse.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
        out.put(type).putInt(body.fields().length).putInt(arrays.size());
        arrays.forEach(a -> out.putInt(a.length));
        out.put(body.fields());
        for (float[] a : arrays) {
            out.asFloatBuffer().put(a);
            out.position(out.position() + 4 * a.length);
        }
        return out.flip();
    }

    /**
     * Gives the link {@code millis} to open (its handshake and first message), after which a polling end's wait
     * throws; {@link #opened} lifts the limit.
     */
    void openWithin(int millis) {
        openingMillis = millis;
        openBy = System.nanoTime() + millis * 1_000_000L;
        if (openBy == 0) {
            openBy = 1;
        }
    }

    /** The link has opened: waits are no longer limited. */
    void opened() {
        openBy = 0;
    }

    /** From now on, frames this end sends are sealed with {@code out} and frames it receives opened with {@code in}. */
    void seal(FrameSeal out, FrameSeal in) {
        if (sealOut != null) {
            throw new IllegalStateException("this channel is sealed already");
        }
        sealOut = out;
        sealIn = in;
    }

    /** Sends a frame made by {@link #frame}; the frame is not changed, so it can go to other peers as well. */
    void send(ByteBuffer frame) throws IOException {
        ByteBuffer bytes = frame.duplicate();
        if (sealOut != null) {
            sealedOut = capacity(sealedOut, bytes.remaining() + FrameSeal.TAG_BYTES);
            sendLength.clear().putInt(bytes.remaining() + FrameSeal.TAG_BYTES).flip();
            sealOut.seal(sendLength.duplicate(), bytes, sealedOut.clear());
            bytes = sealedOut.flip();
        } else {
            sendLength.clear().putInt(bytes.remaining()).flip();
        }
        writeFully(sendLength);
        writeFully(bytes);
    }

    /** Frames and sends a message in this channel's own buffer. */
    void send(byte type, WireCodec.Encoded body) throws IOException {
        sendBuffer = frame(type, body, sendBuffer);
        send(sendBuffer);
    }

    /** The next frame's message. A frame that ends early, or whose parts do not add up to its length, is refused. */
    Message receive() throws IOException {
        readFully(receiveLength.clear(), false);
        int length = receiveLength.flip().getInt();
        int tag = sealIn != null ? FrameSeal.TAG_BYTES : 0;
        if (length < HEADER_BYTES + tag) {
            throw new IOException("malformed message: a frame of " + length + " bytes");
        }
        int plainLength = length - tag;
        ByteBuffer frame;
        if (sealIn != null) {
            sealedIn = capacity(sealedIn, length);
            readFully(sealedIn.clear().limit(length), true);
            receiveBuffer = capacity(receiveBuffer, plainLength);
            receiveLength.rewind();
            frame = sealIn.open(receiveLength, sealedIn.flip(), receiveBuffer.clear()).flip();
        } else {
            receiveBuffer = capacity(receiveBuffer, length);
            readFully(receiveBuffer.clear().limit(length), true);
            frame = receiveBuffer.flip();
        }
        return parse(frame);
    }

    private static Message parse(ByteBuffer frame) throws IOException {
        byte type = frame.get();
        int fieldsLength = frame.getInt();
        int arrayCount = frame.getInt();
        if (fieldsLength < 0 || arrayCount < 0 || arrayCount > MAX_ARRAYS
                || HEADER_BYTES + 4L * arrayCount + fieldsLength > frame.limit()) {
            throw new IOException("malformed message: fields of " + fieldsLength + " bytes and " + arrayCount
                    + " arrays in a frame of " + frame.limit() + " bytes");
        }
        int[] sizes = new int[arrayCount];
        long floats = 0;
        for (int i = 0; i < arrayCount; i++) {
            sizes[i] = frame.getInt();
            if (sizes[i] < 0) {
                throw new IOException("malformed message: an array of " + sizes[i] + " floats");
            }
            floats += sizes[i];
        }
        if (frame.remaining() != fieldsLength + 4L * floats) {
            throw new IOException("malformed message: " + frame.remaining() + " bytes for fields of " + fieldsLength
                    + " bytes and " + floats + " floats");
        }
        byte[] fields = new byte[fieldsLength];
        frame.get(fields);
        List<float[]> arrays = new ArrayList<>(arrayCount);
        for (int size : sizes) {
            float[] a = new float[size];
            frame.asFloatBuffer().get(a);
            frame.position(frame.position() + 4 * size);
            arrays.add(a);
        }
        return new Message(type, new WireCodec.Encoded(fields, arrays));
    }

    /** Exactly {@code size} bytes from the peer, before any frame: the handshake. */
    byte[] readRaw(int size) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        readFully(bytes, false);
        return bytes.array();
    }

    /** Bytes to the peer outside any frame: the handshake. */
    void writeRaw(byte[] bytes) throws IOException {
        writeFully(ByteBuffer.wrap(bytes));
    }

    /** {@code buffer} if it holds {@code size} bytes, or a larger direct buffer. */
    private static ByteBuffer capacity(ByteBuffer buffer, int size) {
        if (buffer != null && buffer.capacity() >= size) {
            return buffer;
        }
        return ByteBuffer.allocateDirect((int) Math.max(size, buffer == null ? 0
                : Math.min(Integer.MAX_VALUE, 2L * buffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
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

    /** Fills {@code bytes}; an end of stream is a truncated message if {@code inMessage} or anything was read. */
    private void readFully(ByteBuffer bytes, boolean inMessage) throws IOException {
        int wanted = bytes.remaining();
        bytesReceived += bytes.remaining();
        while (bytes.hasRemaining()) {
            int n = channel.read(bytes);
            if (n < 0) {
                int read = wanted - bytes.remaining();
                throw new EOFException(inMessage || read > 0
                        ? "truncated message: the other end closed the channel after " + read + " of " + wanted
                                + " bytes"
                        : "the other end closed the channel");
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
            if (openBy != 0 && System.nanoTime() - openBy > 0) {
                throw new SocketTimeoutException("it did not open its link within " + openingMillis + " ms");
            }
        }
        selector.selectedKeys().clear();
    }

    /** The peer's address, for messages. */
    String peer() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
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
