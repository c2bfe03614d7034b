package io.erpsync.target;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A target's answer to one write, per part: {@code updated} landed; {@code stale} met a newer
 * version, with that version when the target sent it back (else null: read again); {@code failed}
 * refused with a reason; {@code rolledBack} were not applied only because another part failed (a
 * target whose batch is all or nothing, like the ERP's; empty where parts are independent): they go
 * again as they are. {@code unanswered}: sent parts the answer did not name, whose writes may or may
 * not have applied. {@code unknown}: part ids the answer named that were never sent, ignored.
 */
public record BatchOutcome(Set<String> updated, Map<String, ItemState> stale, Map<String, PartFailure> failed,
                           Set<String> rolledBack, Set<String> unanswered, Set<String> unknown) {

    public static BatchOutcome applied(Set<String> updated, Map<String, ItemState> stale, Set<String> unanswered,
                                       Set<String> unknown) {
        return new BatchOutcome(updated, stale, Map.of(), Set.of(), unanswered, unknown);
    }

    public static BatchOutcome rolledBack(Map<String, PartFailure> failed, Set<String> sent) {
        Set<String> others = new LinkedHashSet<>(sent);
        others.removeAll(failed.keySet());
        return new BatchOutcome(Set.of(), Map.of(), new LinkedHashMap<>(failed), others, Set.of(), Set.of());
    }
}
