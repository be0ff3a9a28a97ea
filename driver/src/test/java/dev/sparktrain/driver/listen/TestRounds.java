package dev.sparktrain.driver.listen;

/** Round metrics for listener tests: only the fields the listeners under test look at are chosen. */
final class TestRounds {

    private TestRounds() {
    }

    /** A round with the given loss, update norm and wall time; costs split evenly, a learning rate of 1e-3. */
    static RoundMetrics round(int epoch, int round, int rounds, long samples, double loss, double updateNorm,
                              double seconds) {
        return new RoundMetrics(epoch, round, rounds, samples, loss, 1e-3, 10 * updateNorm, updateNorm,
                updateNorm / 100, seconds, seconds / 4, seconds / 2, seconds / 8, seconds / 4, seconds / 8,
                seconds / 4, 4096, 8192);
    }
}
