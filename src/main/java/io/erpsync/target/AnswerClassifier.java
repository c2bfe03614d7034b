package io.erpsync.target;

/**
 * What a target's refusal means: one of the classes the cycle acts on (landed answers never come
 * here): stale (STALE_ETAG, MODIFIED: read again and merge), locked (RECORD_LOCKED: the lock
 * rounds), throttled or down (THROTTLED, SERVER_ERROR: back off), bad input (REJECTED: park), or
 * unknown (UNREADABLE_ANSWER). The ERP tells them apart by status and words; a storefront by its
 * fault's type, as its two 409s mean different things.
 */
public interface AnswerClassifier {

    /** A call the target refused with this status and body (and Retry-After, or null). */
    TargetFailure refused(int status, String body, String retryAfter);

    /** The target's own words in an error body, or the body as it came, cut to 2 KB; "" for none. */
    String message(String body);
}
