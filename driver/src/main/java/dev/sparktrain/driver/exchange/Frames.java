package dev.sparktrain.driver.exchange;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The channel's wire format. A worker opens with {@code HELLO secret partition}; then, per round, the driver sends
 * {@code TASK length bytes} (the serialized round task) and the worker answers {@code RESULT length bytes} (its
 * serialized result) or {@code FAILED message}; {@code END} closes the block.
 */
final class Frames {

    static final byte HELLO = 1;
    static final byte TASK = 2;
    static final byte RESULT = 3;
    static final byte FAILED = 4;
    static final byte END = 5;

    private Frames() {
    }

    /** Writes {@code type}, the payload's length and the payload, and flushes. */
    static void writePayload(DataOutputStream out, byte type, ByteBuffer payload) throws IOException {
        out.writeByte(type);
        out.writeInt(payload.remaining());
        if (payload.hasArray()) {
            out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        } else {
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            out.write(copy);
        }
        out.flush();
    }

    /** Reads a payload's length and bytes into {@code buffer} if it is large enough; returns them as a buffer. */
    static ByteBuffer readPayload(DataInputStream in, ByteBuffer buffer) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("frame length must be >= 0, got " + length);
        }
        ByteBuffer target = buffer != null && buffer.capacity() >= length ? buffer.clear() : ByteBuffer.allocate(length);
        in.readFully(target.array(), 0, length);
        return target.limit(length);
    }
}
