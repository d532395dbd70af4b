package io.mmgraph.store;

import java.lang.foreign.Arena;

/** Closing the shared arenas that own mappings. */
final class Arenas {
    private Arenas() {}

    /**
     * Closes a shared arena. Closing hand-shakes with every thread; while one holds the arena (a native call or
     * bulk operation on its memory) close fails with IllegalStateException, and that holder then finishes or fails
     * instead of touching unmapped memory. Retry until it is done.
     */
    static void close(Arena arena) {
        for (int attempt = 0; ; attempt++) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException e) {
                if (attempt > 1000) {
                    throw e;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }
}
