package io.erpsync.sync;

import io.erpsync.core.Aimd;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The write size of each segment's next request, AIMD as TCP sizes its window (RFC 5681): a write
 * whose parts met a lock or a stale version multiplies the segment's size by sync.batch.adaptive.decrease
 * (the ERP applies a batch all or nothing, so one locked part costs the others a resubmission, and a big
 * batch pays more of them), a clean write adds sync.batch.adaptive.increase, between
 * sync.batch.adaptive.floor and the ceiling (sync.batch.adaptive.ceiling, or else the size configured for
 * the cycle: the window's or sync.batch-size); after a clean spell a shrunk segment grows back by slow start
 * (core.Aimd: doubling towards the size it had before the conflict, additively above it). A segment starts from the configured size. Switched off
 * (sync.batch.adaptive=false) every write has the configured size.
 */
public final class AdaptiveBatchSizes {
    private final boolean adaptive;
    private final int floor;
    private final Integer ceiling;
    private final Aimd step;
    private final Map<String, Aimd.Level> sizes = new ConcurrentHashMap<>();
    /** The size configured for each segment's latest cycle (a window's): what its size in force is held within. */
    private final Map<String, Integer> configuredOf = new ConcurrentHashMap<>();

    public AdaptiveBatchSizes(boolean adaptive, int floor, Integer ceiling, double decrease, int increase) {
        if (floor < 1 || floor > BatchSize.MAX) {
            throw new IllegalStateException("sync.batch.adaptive.floor must be between 1 and " + BatchSize.MAX + ", was " + floor);
        }
        if (ceiling != null && (ceiling < floor || ceiling > BatchSize.MAX)) {
            throw new IllegalStateException("sync.batch.adaptive.ceiling must be between sync.batch.adaptive.floor (" + floor + ") and "
                    + BatchSize.MAX + ", was " + ceiling);
        }
        this.step = Aimd.of("sync.batch.adaptive", decrease, increase);
        this.adaptive = adaptive;
        this.floor = floor;
        this.ceiling = ceiling;
    }

    /** The size of the segment's next write, for a cycle configured at {@code configured}. */
    public int size(String segment, int configured) {
        if (!adaptive) {
            return configured;
        }
        configuredOf.put(segment, configured);
        Aimd.Level l = sizes.get(segment);
        return within(l == null ? configured : l.value(), configured);
    }

    /** A write of the segment came back: {@code conflicted} when some part met a lock or a stale version. */
    public void answered(String segment, int configured, boolean conflicted) {
        if (!adaptive) {
            return;
        }
        configuredOf.put(segment, configured);
        sizes.compute(segment, (s, now) -> {
            Aimd.Level current = now == null ? Aimd.Level.at(within(configured, configured))
                    : new Aimd.Level(within(now.value(), configured), now.good(), now.clean(), now.probing());
            Aimd.Level next = conflicted ? step.down(current, low(configured)) : step.up(current, 1, top(configured));
            return new Aimd.Level(within(next.value(), configured), next.good(), next.clean(), next.probing());
        });
    }

    /** Each segment's size in force (for metrics and the status page): within its latest cycle's configured size, by segment. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new TreeMap<>();
        sizes.forEach((s, l) -> out.put(s, within(l.value(), configuredOf.getOrDefault(s, l.value()))));
        return out;
    }

    private int within(int size, int configured) {
        return Math.max(low(configured), Math.min(size, top(configured)));
    }

    private int top(int configured) {
        return ceiling != null ? ceiling : configured;
    }

    private int low(int configured) {
        return Math.min(floor, top(configured));
    }
}
