package io.erpsync.target.fusion;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ERP's answer to one batch, per part. All or nothing (contract 3): when any part failed, the
 * failed parts carry their reason and every other part was rolled back, applied nowhere.
 * {@code unanswered}: sent parts a 200 answer did not name (the contract says every part is
 * answered): their writes may or may not have applied. {@code unknown}: part ids the answer named
 * that were never sent, ignored.
 */
public record BatchOutcome(Set<String> updated, Map<String, ItemSnapshot> stale, Map<String, PartFailure> failed,
                           Set<String> rolledBack, Set<String> unanswered, Set<String> unknown) {

    public static BatchOutcome applied(Set<String> updated, Map<String, ItemSnapshot> stale, Set<String> unanswered,
                                       Set<String> unknown) {
        return new BatchOutcome(updated, stale, Map.of(), Set.of(), unanswered, unknown);
    }

    public static BatchOutcome rolledBack(Map<String, PartFailure> failed, Set<String> sent) {
        Set<String> others = new LinkedHashSet<>(sent);
        others.removeAll(failed.keySet());
        return new BatchOutcome(Set.of(), Map.of(), new LinkedHashMap<>(failed), others, Set.of(), Set.of());
    }
}
