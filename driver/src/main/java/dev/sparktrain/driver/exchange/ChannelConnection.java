package dev.sparktrain.driver.exchange;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * The driver's end of one worker's channel. Reads wait in short slices, checking between them that the block's
 * Spark job still runs, so a lost executor cannot leave the driver waiting for bytes that never come.
 */
final class ChannelConnection implements AutoCloseable {

    /** Checks the block's job; throws {@link WorkerLostException} when it has failed or ended. */
    interface Liveness {
        void check();
    }

    private final Socket socket;
    private final int partition;
    private final DataInputStream in;
    private final DataOutputStream out;
    private ByteBuffer received;

    private ChannelConnection(Socket socket, int partition, DataInputStream in, DataOutputStream out) {
        this.socket = socket;
        this.partition = partition;
        this.in = in;
        this.out = out;
    }

    /**
     * Reads a worker's hello on a freshly accepted socket. Throws {@link IOException} for a peer that is not one of
     * this block's workers (wrong secret or partition): the caller closes it and goes on listening.
     */
    static ChannelConnection accept(Socket socket, long secret, int partitions, int pollMillis, Liveness liveness)
            throws IOException {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(pollMillis);
        DataInputStream in = new DataInputStream(new PollingInput(
                new BufferedInputStream(socket.getInputStream(), 1 << 16), liveness));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        if (in.readByte() != Frames.HELLO || in.readLong() != secret) {
            throw new IOException("a connection from " + socket.getRemoteSocketAddress()
                    + " is not one of this block's workers");
        }
        int partition = in.readInt();
        if (partition < 0 || partition >= partitions) {
            throw new IOException("worker partition must be in [0, " + partitions + "), got " + partition);
        }
        return new ChannelConnection(socket, partition, in, out);
    }

    int partition() {
        return partition;
    }

    void sendTask(ByteBuffer task) throws IOException {
        Frames.writePayload(out, Frames.TASK, task.duplicate());
    }

    void sendEnd() throws IOException {
        out.writeByte(Frames.END);
        out.flush();
    }

    /**
     * The worker's serialized result of the current round (valid until the next call). Throws
     * {@link IllegalStateException} with the worker's message when its task failed: a task is a pure function of its
     * inputs, so running it again would fail the same way.
     */
    ByteBuffer receiveResult() throws IOException {
        byte type = in.readByte();
        if (type == Frames.FAILED) {
            throw new IllegalStateException("worker " + partition + " failed: " + in.readUTF());
        }
        if (type != Frames.RESULT) {
            throw new IOException("worker " + partition + " sent frame type " + type + ", expected a result");
        }
        received = Frames.readPayload(in, received);
        return received;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** Turns read timeouts into liveness checks and EOF into a clear exception. */
    private static final class PollingInput extends InputStream {

        private final InputStream in;
        private final Liveness liveness;

        PollingInput(InputStream in, Liveness liveness) {
            this.in = in;
            this.liveness = liveness;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                try {
                    int n = in.read(b, off, len);
                    if (n < 0) {
                        throw new EOFException("the worker closed its channel");
                    }
                    return n;
                } catch (SocketTimeoutException e) {
                    liveness.check();
                }
            }
        }
    }
}
