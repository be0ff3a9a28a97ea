package dev.sparktrain.ps;

import java.util.List;

/**
 * A vector given as the float arrays whose element-wise sum it is, added first to last: element i is
 * {@code ((t₀[i] + t₁[i]) + t₂[i]) + …}, one float addition per further term, in this order (float sums are not
 * associative). The workers' results of a round, in partition order: a pass that reads the vector adds them as it
 * reads, bitwise the sum a separate merge would have made, without the merge's own walk through memory. The arrays
 * belong to the caller: readers leave them as they are; only {@link #addIntoFirst}, for their owner, changes one.
 */
public record VectorSum(List<float[]> terms) {

    public VectorSum {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a vector sum needs at least one term, got none");
        }
        for (float[] term : terms) {
            if (term.length != terms.get(0).length) {
                throw new IllegalArgumentException("the terms of a vector sum must have one length, got "
                        + terms.get(0).length + " and " + term.length);
            }
        }
    }

    /** The vector {@code values} itself: a sum of one term. */
    public static VectorSum of(float[] values) {
        return new VectorSum(List.of(values));
    }

    public int length() {
        return terms.get(0).length;
    }

    /**
     * Adds terms 1, 2, … into term 0 in order, leaving the sum in term 0's array, which it returns: the serial form
     * of what the readers do element by element.
     */
    public float[] addIntoFirst() {
        float[] sum = terms.get(0);
        for (int k = 1; k < terms.size(); k++) {
            add(sum, terms.get(k));
        }
        return sum;
    }

    /** The sum in a new array; the terms are left as they are. */
    public float[] toArray() {
        float[] sum = terms.get(0).clone();
        for (int k = 1; k < terms.size(); k++) {
            add(sum, terms.get(k));
        }
        return sum;
    }

    /** sum[i] += term[i]: the merge's own loop, the one addition per element that every reader repeats. */
    private static void add(float[] sum, float[] term) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += term[i];
        }
    }
}
