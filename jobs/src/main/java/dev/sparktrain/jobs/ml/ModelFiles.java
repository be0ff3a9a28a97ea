package dev.sparktrain.jobs.ml;

import dev.sparktrain.jobs.run.ModelReader;
import dev.sparktrain.jobs.run.ModelWriter;
import dev.sparktrain.jobs.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.util.ReadWriteUtils$;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sparktrain model directory inside a saved Spark ML model ({@code PATH/model}), on any Hadoop file system
 * (local, HDFS, S3): written by {@link ModelWriter} into a local temporary directory and copied there; read back by
 * copying it to a local temporary directory and checking it with {@link ModelReader}.
 */
final class ModelFiles {

    static final String DIR = "model";

    private ModelFiles() {
    }

    static void save(TrainedNetwork network, String path, Configuration hadoop) {
        Path local = tempDir();
        try {
            Path dir = ModelWriter.write(local.resolve(DIR), network.configYaml(), network.spec(),
                    Nd4j.createFromArray(network.params()), network.normalization());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, DIR);
            FileSystem fs = fileSystem(target, hadoop);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.toUri()), target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + path, e);
        } finally {
            RunDirectory.deleteRecursively(local);
        }
    }

    /** Throws a one-line IllegalArgumentException unless {@code path} holds Spark ML metadata (before Spark reads it). */
    static void requireSaved(String path, Configuration hadoop) {
        org.apache.hadoop.fs.Path metadata = new org.apache.hadoop.fs.Path(path, "metadata");
        try {
            if (!fileSystem(metadata, hadoop).exists(metadata)) {
                throw new IllegalArgumentException(path + ": no saved model there (" + metadata + " is missing)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model at " + path, e);
        }
    }

    static TrainedNetwork load(String path, Configuration hadoop) {
        Path local = tempDir();
        try {
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, DIR);
            FileSystem fs = fileSystem(source, hadoop);
            if (!fs.exists(source)) {
                throw new IllegalArgumentException(source + ": missing; not a saved sparktrain model");
            }
            Path dir = local.resolve(DIR);
            fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(dir.toUri()), true);
            try {
                return TrainedNetwork.of(ModelReader.read(dir));
            } catch (IllegalArgumentException e) {
                // Name the user's files, not the local copy.
                throw new IllegalArgumentException(e.getMessage().replace(dir.toString(), source.toString()), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model at " + path, e);
        } finally {
            RunDirectory.deleteRecursively(local);
        }
    }

    /**
     * The path's file system, or the local one while Spark ML saves or loads "to local" ({@code MLWriter.saveToLocal},
     * {@code MLReader.loadFromLocal}): Spark Connect's model cache offloads models to the driver's disk that way,
     * whatever the default file system is.
     */
    private static FileSystem fileSystem(org.apache.hadoop.fs.Path path, Configuration hadoop) throws IOException {
        Object local = ReadWriteUtils$.MODULE$.localSavingModeState().get();
        return Boolean.TRUE.equals(local) ? FileSystem.getLocal(hadoop) : path.getFileSystem(hadoop);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sparktrain-model");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }
}
