package io.erpsync.core;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Why an item sits in the exception queue; operators filter and replay by these names. */
public enum FailureClass {
    /** The WMS row itself is unusable (missing item, bad quantity). */
    INVALID_ROW,
    /** The ERP has no item with this number in this organization. */
    UNKNOWN_ITEM,
    /** 409 RECORD_LOCKED: a scheduled process held the record longer than the lock rounds. */
    RECORD_LOCKED,
    /** The ETag kept changing underneath (412, preconditionSucceeded false). */
    STALE_ETAG,
    /** 409 "The resource has been modified". */
    MODIFIED,
    /** 429/503 past the retry budget. */
    THROTTLED,
    /** 5xx, connection resets and timeouts past the retry budget. */
    SERVER_ERROR,
    /** 400/404 for this item: the ERP refuses it; retrying cannot help. */
    REJECTED,
    /** The ERP answered something that does not parse or does not fit the contract. */
    UNREADABLE_ANSWER,
    /** A BOM change met another user's change to the same field (a third value): never overwritten. */
    CONFLICT,
    /** A BOM change held because its bill met too many conflicts: it goes through a change order first. */
    NEEDS_CHANGE_ORDER,
    /**
     * A BOM change whose earlier change of ours on the same component and field is parked: it waits
     * for it, and is applied after it by the cycle or replay that applies it. Not a conflict.
     */
    WAITING_FOR_CHANGE;

    /** The conflicts the integration exists for: someone else holds or changed the record. */
    public static final Set<FailureClass> CONFLICTS = EnumSet.of(RECORD_LOCKED, STALE_ETAG, MODIFIED, CONFLICT);

    public boolean isConflict() {
        return CONFLICTS.contains(this);
    }

    /**
     * Whether an update that ended this way says the ERP is failing (the circuit breaker counts it):
     * locks, throttling, server errors and unreadable answers do; our own bad data (400/404, unknown
     * items, invalid rows) and other users' edits (stale versions) do not.
     */
    public boolean countsAgainstErp() {
        return this == RECORD_LOCKED || this == THROTTLED || this == SERVER_ERROR || this == UNREADABLE_ANSWER;
    }

    /** The conflict classes as an SQL list of literals, for the store's queries: 'RECORD_LOCKED', 'STALE_ETAG', 'MODIFIED'. */
    public static String conflictsAsSql() {
        return CONFLICTS.stream().map(f -> "'" + f.name() + "'").collect(Collectors.joining(", "));
    }
}
