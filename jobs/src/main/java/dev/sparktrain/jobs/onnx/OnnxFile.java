package dev.sparktrain.jobs.onnx;

import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an ONNX file so that it is complete or absent under its final name ({@link AtomicFiles}): renamed over an
 * existing file with {@code overwrite}, published without replacing anything otherwise (a file of that name that
 * appeared meanwhile is never replaced).
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
        long[] size = new long[1];
        AtomicFiles.Content content = temp -> {
            try (OutputStream stream = Files.newOutputStream(temp)) {
                model.writeTo(stream);
            }
            size[0] = Files.size(temp);
        };
        if (overwrite) {
            AtomicFiles.write(out, content);
        } else if (!AtomicFiles.writeIfAbsent(out, content)) {
            throw new IllegalArgumentException(out + ": file exists; use --overwrite to replace it");
        }
        return size[0];
    }
}
