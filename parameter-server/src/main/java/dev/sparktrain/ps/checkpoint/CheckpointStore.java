package dev.sparktrain.ps.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.ps.io.WriteFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A directory of checkpoints {@code ckpt-<version>}, each a folder of {@code <array>.npy} files and a
 * {@code manifest.json}, of which the last {@code keep} are kept. Writing is atomic: everything goes into a hidden
 * {@code .tmp-*} folder in the same parent, every file and the folder are fsynced, the folder is renamed into
 * place in one atomic move and the parent is fsynced; a crash at any point leaves earlier checkpoints intact and
 * no visible half-written folder (stale temporary folders are ignored and removed by the next write). A failed
 * write (a full disk) removes its temporary folder and throws a {@link WriteFailure} naming the checkpoint's file.
 * Loading verifies the size and SHA-256 of every file and the shapes, and reports the first problem in one
 * message that names the checkpoint and the file.
 */
public final class CheckpointStore {

    /** Test hook: called before each file is written and before the final rename ("rename"). */
    interface Fault {
        void before(String file) throws IOException;
    }

    private static final String PREFIX = "ckpt-";
    private static final String TMP = ".tmp-";

    private final Path root;
    private final int keep;
    private final Fault fault;

    public CheckpointStore(Path root, int keep) {
        this(root, keep, file -> { });
    }

    CheckpointStore(Path root, int keep, Fault fault) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint.keep must be >= 1, got " + keep);
        }
        this.root = root;
        this.keep = keep;
        this.fault = fault;
    }

    public Path root() {
        return root;
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Writes {@code c} atomically as {@code ckpt-<version>}, removes all but the last {@code keep}. */
    public Path save(Checkpoint c) {
        Path target = root.resolve(String.format("%s%012d", PREFIX, c.version()));
        if (Files.exists(target)) {
            throw new IllegalStateException("checkpoint " + target + " already exists");
        }
        Path tmp = root.resolve(TMP + target.getFileName() + "-" + UUID.randomUUID());
        String current = null;
        try {
            Files.createDirectories(root);
            removeStaleTemporaries();
            Files.createDirectory(tmp);
            Map<String, Manifest.Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> a : c.arrays().entrySet()) {
                current = a.getKey() + ".npy";
                fault.before(current);
                entries.put(a.getKey(), writeArray(tmp.resolve(current), a.getValue()));
            }
            current = Manifest.FILE;
            fault.before(current);
            writeBytes(tmp.resolve(current), Manifest.render(c, entries));
            current = null;
            fsync(tmp);
            fault.before("rename");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(root);
        } catch (IOException | RuntimeException e) {
            long written = current == null ? 0 : sizeOrZero(tmp.resolve(current));
            deleteQuietly(tmp);
            if (e instanceof IOException io) {
                throw new WriteFailure(current == null ? target : target.resolve(current), written, io);
            }
            throw (RuntimeException) e;
        }
        prune();
        return target;
    }

    /** Reads and verifies the checkpoint in {@code dir}. */
    public Checkpoint load(Path dir) {
        String where = "checkpoint " + dir + ": ";
        JsonNode manifest;
        try {
            manifest = Manifest.parse(Files.readAllBytes(dir.resolve(Manifest.FILE)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + "missing " + Manifest.FILE);
        } catch (JsonProcessingException e) {
            // Jackson's own message spans lines (it quotes the source); the CLI shows one line.
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(where + Manifest.FILE + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(where + "cannot read " + Manifest.FILE, e);
        }
        if (!Manifest.FORMAT.equals(manifest.path("format").asText())
                || manifest.path("format_version").asInt() != Manifest.FORMAT_VERSION) {
            throw new IllegalArgumentException(where + Manifest.FILE + " is not a " + Manifest.FORMAT + " v"
                    + Manifest.FORMAT_VERSION + " manifest");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("arrays").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            arrays.put(e.getKey(), readArray(dir, where, e.getValue()));
        }
        ObjectMapper m = Manifest.JSON;
        return new Checkpoint(m.convertValue(manifest.path("config"), Manifest.MAP_TYPE),
                manifest.path("optimizer").asText(), m.convertValue(manifest.path("counters"), Manifest.LONGS_TYPE),
                m.convertValue(manifest.path("seeds"), Manifest.LONGS_TYPE),
                m.convertValue(manifest.path("extra"), Manifest.MAP_TYPE), arrays);
    }

    /**
     * Loads {@code dir} and checks that the config fields named in {@code mustMatch} (top-level keys, e.g.
     * "model", "optimizer") equal those of {@code config}.
     */
    public Checkpoint load(Path dir, Map<String, ?> config, Set<String> mustMatch) {
        Checkpoint c = load(dir);
        JsonNode saved = Manifest.JSON.valueToTree(c.config());
        JsonNode current;
        try {
            current = Manifest.JSON.readTree(Manifest.JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new IllegalArgumentException("the current config cannot be written as JSON: " + e.getMessage());
        }
        for (String key : mustMatch.stream().sorted().toList()) {
            if (!saved.path(key).equals(current.path(key))) {
                throw new IllegalArgumentException("checkpoint " + dir + " does not fit this run: config field '" + key
                        + "' is " + saved.path(key) + " in the checkpoint, " + current.path(key) + " now");
            }
        }
        return c;
    }

    private static INDArray readArray(Path dir, String where, JsonNode entry) {
        String file = entry.path("file").asText();
        Path path = dir.resolve(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + "missing file " + file + " (listed in " + Manifest.FILE + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(where + "cannot read " + file, e);
        }
        long expectedBytes = entry.path("bytes").asLong();
        if (bytes.length != expectedBytes) {
            throw new IllegalArgumentException(where + file + " has " + bytes.length + " bytes, the manifest says "
                    + expectedBytes + " (truncated or replaced)");
        }
        String sha = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!sha.equals(entry.path("sha256").asText())) {
            throw new IllegalArgumentException(where + file + " fails its SHA-256 check (altered after writing)");
        }
        INDArray a;
        try {
            a = Npy.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + file + ": " + e.getMessage());
        }
        long[] shape = Manifest.JSON.convertValue(entry.path("shape"), long[].class);
        if (!Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException(where + file + " has shape " + Arrays.toString(a.shape())
                    + ", the manifest says " + Arrays.toString(shape));
        }
        return a;
    }

    private Manifest.Entry writeArray(Path file, INDArray a) throws IOException {
        MessageDigest sha = sha256();
        long bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             DigestOutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), sha)) {
            bytes = Npy.write(a, Channels.newChannel(out));
            out.flush();
            ch.force(true);
        }
        return new Manifest.Entry(file.getFileName().toString(), Npy.descr(a.dataType()), a.shape(), bytes,
                HexFormat.of().formatHex(sha.digest()));
    }

    private static void writeBytes(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private void prune() {
        List<Path> all = new ArrayList<>(list());
        for (int i = 0; i < all.size() - keep; i++) {
            Path old = all.get(i);
            Path doomed = root.resolve(TMP + "delete-" + old.getFileName() + "-" + UUID.randomUUID());
            try {
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove old checkpoint " + old, e);
            }
            deleteQuietly(doomed);
        }
    }

    private void removeStaleTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().startsWith(TMP)).forEach(CheckpointStore::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is invisible to list() and removed by the next save
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
