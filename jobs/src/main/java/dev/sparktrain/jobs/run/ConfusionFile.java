package dev.sparktrain.jobs.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes the final evaluation's confusion matrix ({@code confusion.json}: rows actual, columns predicted). */
public final class ConfusionFile {

    public static final String FILE_NAME = "confusion.json";

    private ConfusionFile() {
    }

    public static Path write(Path runDir, long[][] matrix) {
        Path file = runDir.resolve(FILE_NAME);
        try {
            AtomicFiles.writeString(file, new ObjectMapper().writeValueAsString(matrix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
