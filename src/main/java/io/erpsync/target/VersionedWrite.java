package io.erpsync.target;

import java.math.BigDecimal;

/** One part of a write: set our one field on one item ({@link ItemState#ref}), only over the version we read. */
public record VersionedWrite(String partId, String ref, String version, BigDecimal quantity) {
}
