package io.erpsync.sync;

/** Why an item sits in the exception queue; operators filter and replay by these names. */
public enum FailureClass {
    /** The WMS row itself is unusable (missing item, bad quantity). */
    INVALID_ROW,
    /** The ERP has no item with this number in this organization. */
    UNKNOWN_ITEM,
    /** 409 RECORD_LOCKED: a scheduled process held the record longer than the retry budget. */
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
    /** The batch was rolled back because another part failed. */
    ROLLED_BACK,
    /** The ERP answered something that does not parse or does not fit the contract. */
    UNREADABLE_ANSWER
}
