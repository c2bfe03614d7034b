package io.erpsync.sandbox;

import java.time.Instant;
import java.util.Set;

/**
 * A simulated ESS request (contract section 5). While RUNNING it holds record locks on its items,
 * the way Manage Item Import or Cost Update hold Fusion rows.
 */
public record ScheduledJob(long requestId, String name, String submitter, Instant start, Instant end,
                           Set<Long> lockedItemIds) {

    public String stateAt(Instant now) {
        if (now.isBefore(start)) {
            return "WAIT";
        }
        return now.isBefore(end) ? "RUNNING" : "SUCCEEDED";
    }

    public boolean locks(long itemId, Instant now) {
        return "RUNNING".equals(stateAt(now)) && lockedItemIds.contains(itemId);
    }
}
