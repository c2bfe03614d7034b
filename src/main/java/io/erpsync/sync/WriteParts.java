package io.erpsync.sync;

import io.erpsync.target.LaneKeys;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which ready items go in the next write request, by part id (part1, part2, ...): those with a version
 * in hand that wait for nothing, in batch order, up to the run's batch size, and never two of one write
 * group (a target's writes to one object that fail each other when they run together); the others go
 * in the next request.
 */
final class WriteParts {

    private WriteParts() {
    }

    static Map<String, PendingItem> next(Collection<PendingItem> unsettled, int size, LaneKeys keys) {
        Map<String, PendingItem> parts = new LinkedHashMap<>();
        Set<String> groups = new HashSet<>();
        for (PendingItem item : unsettled) {
            if (parts.size() == size) {
                break;
            }
            if (item.snapshot() != null && !item.wmsRowNeeded() && groups.add(keys.writeGroup(item.level()))) {
                parts.put("part" + (parts.size() + 1), item);
            }
        }
        return parts;
    }
}
