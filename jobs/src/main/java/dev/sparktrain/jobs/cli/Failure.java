package dev.sparktrain.jobs.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where a command's exception becomes what the user reads: one line on stderr and an exit code.
 * Every exception is sorted into one of four kinds, from the exception and its causes (Spark and Hadoop wrap the
 * real cause, sometimes only as text in a message):
 * <ul>
 *   <li>{@link Kind#BAD_INPUT} (exit 2): an {@link IllegalArgumentException} anywhere in the chain: the config,
 *       a data file, a command-line option. Its message already names the file, row or field.
 *   <li>{@link Kind#ENVIRONMENT} (exit 3): the machine or the cluster, not the input: files that cannot be read or
 *       written (permissions, disk full), memory, native libraries, the network and the Spark master.
 *   <li>{@link Kind#INTERRUPTED} (exit 130): the run was interrupted (Ctrl-C, a cancelled job).
 *   <li>{@link Kind#FAILED} (exit 1): the run itself failed ({@link IllegalStateException}: training diverged, a
 *       block failed too often), or an unexpected error, which is a bug: its line says how to get the stack trace.
 * </ul>
 *
 * A command that stopped on purpose ({@link RunStopped}: Ctrl-C, a full disk during training) brings its own line and
 * exit code.
 *
 * @param kind what kind of failure it was
 * @param line the line printed on stderr, e.g. {@code error: train.csv line 3: ...}
 */
public record Failure(Kind kind, String line) {

    /** Set to print the stack trace of an unexpected error before its line (for bug reports). */
    public static final String TRACE_ENV = "SPARKTRAIN_TRACE";

    /** The kinds of failure and their exit codes (the README's table). */
    public enum Kind {
        BAD_INPUT(2), ENVIRONMENT(3), INTERRUPTED(130), FAILED(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private static final String IAE = IllegalArgumentException.class.getName() + ": ";
    private static final String ISE = IllegalStateException.class.getName() + ": ";

    /** A Spark task's failure as Spark reports it on the driver: the remote exception's class and message. */
    private static final Pattern REMOTE = Pattern.compile(
            "(?:most recent failure: Lost task [^:]*?\\): |Exception in task [^:]*: )?"
                    + "((?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Failure))(?:: ([^\\n]*))?");

    public int exitCode() {
        return kind.exitCode();
    }

    private static Failure failure(Kind kind, String message) {
        return new Failure(kind, "error: " + message);
    }

    /** Sorts {@code e} (see the class comment). */
    public static Failure of(Throwable e) {
        if (e instanceof RunStopped stopped) {
            Kind kind = stopped.exitCode() == Kind.INTERRUPTED.exitCode() ? Kind.INTERRUPTED
                    : stopped.exitCode() == Kind.ENVIRONMENT.exitCode() ? Kind.ENVIRONMENT : Kind.FAILED;
            return new Failure(kind, firstLine(stopped.getMessage()));
        }
        Throwable badInput = find(e, IllegalArgumentException.class);
        if (badInput != null) {
            return failure(Kind.BAD_INPUT, text(badInput));
        }
        String remote = remote(e);
        if (remote != null && remote.startsWith(IAE)) {
            return failure(Kind.BAD_INPUT, remote.substring(IAE.length()));
        }
        if (find(e, InterruptedException.class) != null || find(e, ClosedByInterruptException.class) != null
                || (find(e, InterruptedIOException.class) != null && find(e, SocketTimeoutException.class) == null)) {
            return failure(Kind.INTERRUPTED, "interrupted");
        }
        String environment = environment(e);
        if (environment != null) {
            return failure(Kind.ENVIRONMENT, environment);
        }
        Throwable failed = find(e, IllegalStateException.class);
        if (failed != null) {
            return failure(Kind.FAILED, text(failed));
        }
        if (remote != null) {
            return remote.startsWith(ISE) ? failure(Kind.FAILED, remote.substring(ISE.length()))
                    : failure(Kind.FAILED, "a Spark task failed: " + remote);
        }
        Throwable root = root(e);
        return failure(Kind.FAILED, "internal error: " + root.getClass().getName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()))
                + " (a bug: please report it with the stack trace that " + TRACE_ENV + "=1 prints)");
    }

    /** The environment fault in {@code e}'s chain, as a line that names it and what to do, or null. */
    private static String environment(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof OutOfMemoryError) {
                return m.contains("Java heap") || m.contains("GC overhead")
                        ? "out of memory in the driver's Java heap (" + firstLine(m) + "); give the JVM more, e.g. "
                        + "JAVA_OPTS=-Xmx12g bin/sparktrain ..., or lower training.eval_batch_size"
                        : "out of memory (" + firstLine(m) + "); free memory, give the JVM more (JAVA_OPTS=-Xmx...), "
                        + "or lower the batch sizes";
            }
            boolean nativeClass = m.contains("nd4j") || m.contains("javacpp") || m.contains("bytedeco")
                    || String.valueOf(t.getCause()).contains("nd4j");
            if (t instanceof UnsatisfiedLinkError || m.contains("ND4J is probably missing dependencies")
                    || (t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError) && nativeClass) {
                return "cannot load a native library (" + firstLine(m.isEmpty() ? String.valueOf(t.getCause()) : m)
                        + "); sparktrain needs x86-64 Linux with glibc, and room in ~/.javacpp/cache (set "
                        + "-Dorg.bytedeco.javacpp.cachedir=DIR in JAVA_OPTS to use another folder)";
            }
            if (m.contains("All masters are unresponsive")) {
                return "the Spark master did not answer (All masters are unresponsive); check spark.master / "
                        + "--master and that the master runs (bin/local-cluster status)";
            }
            if (m.contains("Application has been killed")) {
                return "the Spark cluster ended the application (" + firstLine(m) + "); see the master's log";
            }
            if (t instanceof UncheckedIOException u && !m.startsWith(u.getCause().getClass().getName())) {
                // The readers' own wrappers name the file and the action ("x.csv: cannot read: ..."): keep that.
                String cause = io(u.getCause());
                return cause.toLowerCase(Locale.ROOT).contains("no space left") ? firstLine(m) + ": " + cause
                        : u.getCause() instanceof AccessDeniedException
                        || m.toLowerCase(Locale.ROOT).contains("permission denied")
                        ? firstLine(m) + "; check the file's and its folder's permissions" : firstLine(m);
            }
            if (t instanceof IOException io) {
                return io(io);
            }
        }
        for (Throwable t = e; t != null; t = next(t)) {
            if (String.valueOf(t.getMessage()).startsWith("Cannot call methods on a stopped SparkContext")) {
                // Spark stopped its context from one of its own threads; the reason went to its log, not here.
                return "Spark stopped during the run (a standalone master that did not answer the application, or "
                        + "ended it); check spark.master / --master and the master's log";
            }
        }
        String remote = remote(e);
        if (remote != null && (remote.startsWith("java.io.") || remote.startsWith("java.nio.")
                || remote.startsWith("java.net.") || remote.contains("ExecutorLostFailure")
                || remote.startsWith("java.lang.OutOfMemoryError"))) {
            return "a Spark task failed: " + remote;
        }
        return null;
    }

    /** An I/O failure as one line: the path, what went wrong in words, and what to do where that is clear. */
    static String io(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
        if (m.toLowerCase(Locale.ROOT).contains("no space left")) {
            return m + (m.toLowerCase(Locale.ROOT).contains("no space left on device") ? "" : " (no space left on device)")
                    + "; free disk space and run again";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied" + (a.getReason() == null ? "" : " (" + a.getReason() + ")")
                    + "; check the file's and its folder's permissions";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + ": not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason()
                    + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        if (e instanceof FileNotFoundException && m.contains("Permission denied")) {
            return m + "; check the file's and its folder's permissions";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "cannot connect: " + m + "; check that the host and port are right and the service runs";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + m + "; check the host name";
        }
        if (e instanceof BindException) {
            return "cannot listen on a port: " + m + "; another process may hold it (set SPARK_LOCAL_IP, or free it)";
        }
        if (e instanceof SocketTimeoutException) {
            return "network timeout: " + m;
        }
        return m.contains(": ") || m.startsWith("/") ? m : "I/O error: " + m;
    }

    /** The message of a task failure Spark reported as text, as {@code class: message}, or null. */
    private static String remote(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            String m = t.getMessage();
            if (m == null || !(m.contains("Job aborted") || m.contains("Exception in task")
                    || m.contains("most recent failure"))) {
                continue;
            }
            int at = m.indexOf("most recent failure");
            Matcher matcher = REMOTE.matcher(at < 0 ? m : m.substring(at));
            if (matcher.find()) {
                String cls = matcher.group(1);
                String msg = matcher.group(2);
                return cls + (msg == null || msg.isBlank() ? "" : ": " + msg.strip());
            }
            return firstLine(m);
        }
        return null;
    }

    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (next(t) != null) {
            t = next(t);
        }
        return t;
    }

    private static Throwable next(Throwable t) {
        Throwable c = t.getCause();
        return c == t ? null : c;
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
