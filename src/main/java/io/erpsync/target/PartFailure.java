package io.erpsync.target;

import io.erpsync.core.FailureClass;

/**
 * A part of a write the target refused, classified by the target (its status and body, or its fault
 * type): the class the cycle acts on, the status the single call would have answered, the target's
 * own words, and the holder of a lock when the target names one.
 */
public record PartFailure(FailureClass failureClass, int status, String message, String holder) {
}
