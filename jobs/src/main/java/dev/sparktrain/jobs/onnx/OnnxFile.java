package dev.sparktrain.jobs.onnx;

import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes an ONNX file so that it is complete or absent under its final name: the bytes go to a hidden temporary file
 * beside it, are forced to disk, and the file is then renamed (with {@code overwrite}) or hard-linked (without: the
 * link fails if a file of that name appeared meanwhile, so a file this did not write is never replaced).
 */
public final class OnnxFile {

    private OnnxFile() {
    }

    /** Checks {@code out} before any work: a parent directory, not a directory, and no file unless overwriting. */
    public static void checkTarget(Path out, boolean overwrite) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(out + ": the directory " + parent + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": is a directory, expected a file name such as model.onnx");
        }
        if (Files.exists(out) && !overwrite) {
            throw new IllegalArgumentException(out + ": file exists; use --overwrite to replace it");
        }
    }

    /** Writes {@code model} to {@code out}; returns the number of bytes written. */
    public static long write(ModelProto model, Path out, boolean overwrite) {
        checkTarget(out, overwrite);
        Path target = out.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream stream = Channels.newOutputStream(channel)) {
                model.writeTo(stream);
                stream.flush();
                channel.force(true);
            }
            readableByAll(tmp);
            long size = Files.size(tmp);
            if (overwrite) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                publishWithoutReplacing(tmp, target);
            }
            return size;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(out + ": file exists; use --overwrite to replace it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void publishWithoutReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, target);
        }
    }

    /** Temporary files are private (0600); a model file is meant to be shared like any written file. */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the temporary file is hidden; the error that matters was reported
        }
    }
}
