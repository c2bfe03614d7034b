package io.erpsync.sync;

import io.erpsync.wms.StockLevel;

import java.util.List;

/** Valid rows of one read chunk that go into the same batch (same segment and lane, or the hot lane of an organization). */
public record SegmentRows(String key, List<StockLevel> levels) {
}
