package dev.sparktrain.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The time this JVM's JIT compilers have spent so far: a warm-up whose last epoch still compiled is not over. Code
 * that runs once a round (the driver's side of it) reaches the compilers' thresholds hundreds of rounds after code
 * that runs once a step, and each compilation then takes a core from the workers for a while.
 */
final class JitActivity {

    private static final CompilationMXBean COMPILERS = ManagementFactory.getCompilationMXBean();

    private JitActivity() {
    }

    /** Milliseconds of compiling summed over the compiler threads; 0 where the JVM does not measure it. */
    static long millis() {
        return COMPILERS != null && COMPILERS.isCompilationTimeMonitoringSupported()
                ? COMPILERS.getTotalCompilationTime() : 0;
    }
}
