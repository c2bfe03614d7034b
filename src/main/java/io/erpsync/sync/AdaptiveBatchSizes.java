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
 * the cycle: the window's or sync.batch-size). A segment starts from the configured size. Switched off
 * (sync.batch.adaptive=false) every write has the configured size.
 */
public final class AdaptiveBatchSizes {
    private final boolean adaptive;
    private final int floor;
    private final Integer ceiling;
    private final Aimd step;
    private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

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
        return within(sizes.getOrDefault(segment, configured), configured);
    }

    /** A write of the segment came back: {@code conflicted} when some part met a lock or a stale version. */
    public void answered(String segment, int configured, boolean conflicted) {
        if (!adaptive) {
            return;
        }
        sizes.compute(segment, (s, now) -> {
            int current = within(now == null ? configured : now, configured);
            return within(conflicted ? step.decreased(current) : (int) Math.min(Integer.MAX_VALUE, step.increased(current, 1)), configured);
        });
    }

    /** Each segment's size so far (for metrics and the status page), by segment. */
    public Map<String, Integer> sizes() {
        return new TreeMap<>(sizes);
    }

    private int within(int size, int configured) {
        int top = ceiling != null ? ceiling : configured;
        return Math.max(Math.min(floor, top), Math.min(size, top));
    }
}
