package io.erpsync.sync;

import io.erpsync.wms.StockLevel;

import java.math.BigDecimal;
import java.time.Instant;

/** WMS rows and runs for the unit tests of batching, without a database or a runtime. */
final class Rows {
    static final Instant T0 = Instant.parse("2026-03-03T08:00:00Z");

    private Rows() {
    }

    /** A row of item {@code item} in organization M1, segment M1, updated {@code second} seconds after T0. */
    static StockLevel row(String item, int quantity, long second, long rowNumber) {
        return row(item, "M1", quantity, second, rowNumber);
    }

    static StockLevel row(String item, String org, int quantity, long second, long rowNumber) {
        return new StockLevel(item, org, BigDecimal.valueOf(quantity), T0.plusSeconds(second), org, rowNumber);
    }

    /** A run that writes in batches of {@code batchSize}. */
    static Cycle cycle(int batchSize) {
        return new Cycle(1, "test", T0, batchSize, T0.minusSeconds(3600));
    }
}
