package dev.sparktrain.ops.config;

import java.util.Collection;

/** "did you mean" hints for misspelt names, by edit distance. */
public final class Suggestions {

    private Suggestions() {
    }

    /** {@code "; did you mean 'epochs'?"}, or a list of the known names when nothing is close. */
    public static String didYouMean(String given, Collection<String> known) {
        return closest(given, known).map(best -> "; did you mean '" + best + "'?")
                .orElse(known.isEmpty() ? "" : "; known fields: " + new java.util.TreeSet<>(known));
    }

    /** The known name close enough to {@code given} (by edit distance) to be what was meant, if any. */
    public static java.util.Optional<String> closest(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(given.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? java.util.Optional.of(best)
                : java.util.Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
