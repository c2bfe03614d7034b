package io.erpsync.target;

import java.util.List;
import java.util.Set;

/**
 * Writes our one field on N items, each only over the version it was read at, in one request, and
 * reads the answer part by part. Whether the parts are all or nothing (the ERP) or independent (a
 * storefront) is the target's: {@link BatchOutcome#rolledBack()} says which parts only went down
 * with another.
 */
public interface VersionedWrites {

    /** One request writing these parts. */
    TargetRequest request(List<VersionedWrite> parts);

    /** The answer per part sent (by part id); null when the target refused the whole request. */
    BatchOutcome outcome(TargetAnswer answer, Set<String> sentPartIds);
}
