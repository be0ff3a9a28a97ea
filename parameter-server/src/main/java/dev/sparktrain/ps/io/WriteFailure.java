package dev.sparktrain.ps.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file that could not be written, named by the name it was meant to have (never the temporary name it was
 * written under), with the operating system's reason and how much of it had been written:
 * {@code runs/x/model/params.npy: no space left on device (wrote 12.3 MB)}. The file system, not the input, is
 * at fault, so the CLI reports it as an environment fault.
 */
public final class WriteFailure extends UncheckedIOException {

    private final Path file;
    private final long bytesWritten;

    public WriteFailure(Path file, long bytesWritten, IOException cause) {
        super(file + ": " + reason(cause) + (bytesWritten > 0 ? " (wrote " + size(bytesWritten) + ")" : ""), cause);
        this.file = file;
        this.bytesWritten = bytesWritten;
    }

    /** The name the file was to have. */
    public Path file() {
        return file;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** The operating system's reason in lower case ("no space left on device"), without the temporary path. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))
                ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }

    /** 0 B, 812 B, 3.4 KB, 12.3 MB, 1.2 GB (powers of 1000, as file managers show them). */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
