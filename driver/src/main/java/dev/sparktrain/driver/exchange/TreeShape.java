package dev.sparktrain.driver.exchange;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who talks to whom in the channel's {@code tree} exchange of {@code workers} workers; it depends on partition indices
 * only. The round's task fans out through a binary tree: the driver sends it to worker 0, and worker p passes it to
 * 2p + 1 and 2p + 2 before it starts computing. The results are summed along the chain 0 → 1 → … → N − 1 in pieces:
 * worker p adds its piece k to the running sum of pieces k from worker p − 1 and passes the sum on, the last worker
 * to the driver. Summing in partition order is what makes the sum bitwise the star's (float addition is not
 * associative, so a binary tree of sums would give other bits), and cutting the vectors into pieces lets all links of
 * the chain carry pieces at once, so a round's sum takes about one vector's transfer time plus one piece per worker.
 */
record TreeShape(int workers) implements java.io.Serializable {

    /** Floats per piece of a summed vector: large enough that a piece costs far more than its message's overhead. */
    static final int PIECE_FLOATS = 1 << 16;

    TreeShape {
        if (workers < 1) {
            throw new IllegalArgumentException("a tree needs at least one worker, got " + workers);
        }
    }

    /** The worker that passes {@code partition} the round's task (−1: the driver). */
    int parent(int partition) {
        return partition == 0 ? -1 : (partition - 1) / 2;
    }

    /** The workers {@code partition} passes the round's task to. */
    Set<Integer> children(int partition) {
        Set<Integer> children = new TreeSet<>();
        for (int child = 2 * partition + 1; child <= 2 * partition + 2 && child < workers; child++) {
            children.add(child);
        }
        return children;
    }

    /** The worker whose running sum {@code partition} adds to (−1: none, it starts the sum). */
    int previous(int partition) {
        return partition - 1;
    }

    /** The worker {@code partition} passes its running sum to (−1: the driver). */
    int next(int partition) {
        return partition == workers - 1 ? -1 : partition + 1;
    }

    /** The workers {@code partition} sends to directly. */
    Set<Integer> sendsTo(int partition) {
        Set<Integer> out = children(partition);
        if (next(partition) >= 0) {
            out.add(next(partition));
        }
        return out;
    }

    /** The workers {@code partition} receives from directly. */
    Set<Integer> receivesFrom(int partition) {
        Set<Integer> in = new TreeSet<>();
        if (parent(partition) >= 0) {
            in.add(parent(partition));
        }
        if (previous(partition) >= 0) {
            in.add(previous(partition));
        }
        return in;
    }

    /** How many pieces the summed vectors of a model of {@code params} parameters travel in. */
    static int pieces(int params) {
        return Math.max(1, (params + PIECE_FLOATS - 1) / PIECE_FLOATS);
    }
}
