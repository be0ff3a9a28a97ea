package dev.sparktrain.jobs.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a run directory that a run logs as MLflow artifacts, by artifact path: {@code config.yaml},
 * {@code metrics.jsonl}, {@code confusion.json}, the report's charts and then {@code report.html}, and, when asked,
 * the model directory under {@code model/}. Files that are missing (a run that failed early) are left out.
 */
public final class RunArtifacts {

    private RunArtifacts() {
    }

    public static Map<String, Path> of(Path runDir, boolean withModel) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String name : List.of("config.yaml", "metrics.jsonl", "confusion.json")) {
            addIfFile(out, name, runDir.resolve(name));
        }
        try (Stream<Path> files = Files.list(runDir)) {
            files.filter(p -> p.getFileName().toString().matches("report-.*\\.png")).sorted()
                    .forEach(p -> addIfFile(out, p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir, e);
        }
        addIfFile(out, "report.html", runDir.resolve("report.html"));
        if (withModel) {
            out.putAll(directory("model", runDir.resolve("model")));
        }
        return out;
    }

    /** Every regular file under {@code dir}, as {@code prefix/relative/path}; hidden files left out. */
    public static Map<String, Path> directory(String prefix, Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                    .forEach(p -> out.put(prefix + "/" + dir.relativize(p).toString().replace('\\', '/'), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static void addIfFile(Map<String, Path> out, String name, Path file) {
        if (Files.isRegularFile(file)) {
            out.put(name, file);
        }
    }
}
