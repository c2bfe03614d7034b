package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.StockOutFigures;
import io.erpsync.wms.StockLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A cycle's stock-outs: which rows they cover, their times to land, which ended parked. */
class StockOutsTest {
    static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    static StockLevel row(String item, long secondsAfter) {
        return new StockLevel(item, "M1", BigDecimal.ZERO, T.plusSeconds(secondsAfter), "M1|TOOLS", 1);
    }

    @Test
    void a_stock_out_covers_its_own_row_and_older_ones_not_newer_ones_nor_other_items() {
        StockOuts s = new StockOuts();
        s.sent(row("A", 10));
        assertTrue(s.covers(row("A", 10)));
        assertTrue(s.covers(row("A", 9)));
        assertFalse(s.covers(row("A", 11)), "a newer row goes on");
        assertFalse(s.covers(row("B", 10)));
        assertTrue(s.isStockOut("A|M1"));
        assertFalse(s.isStockOut("B|M1"));
    }

    @Test
    void no_stock_outs_no_figures() {
        StockOuts s = new StockOuts();
        s.landed("A|M1", 5);
        s.parked("A|M1");
        assertSame(StockOutFigures.NONE, s.figures());
    }

    @Test
    void p50_and_p95_by_nearest_rank_of_the_first_landings_only_of_stock_outs() {
        StockOuts s = new StockOuts();
        for (int i = 1; i <= 20; i++) {
            s.sent(row("I" + i, i));
            s.landed("I" + i + "|M1", i * 10L);
        }
        s.landed("I1|M1", 999);
        s.landed("OTHER|M1", 1);
        StockOutFigures f = s.figures();
        assertEquals(20, f.items());
        assertEquals(20, f.landed());
        assertEquals(100L, f.p50Ms(), "the 10th of 20");
        assertEquals(190L, f.p95Ms(), "the 19th of 20");
        assertEquals(10L, f.landingMs().get(0), "the first landing counts");
        assertTrue(f.parked().isEmpty());
    }

    @Test
    void percentiles_of_few_times() {
        assertNull(StockOuts.percentile(List.of(), 50));
        assertEquals(7L, StockOuts.percentile(List.of(7L), 50));
        assertEquals(7L, StockOuts.percentile(List.of(7L), 95));
        assertEquals(1L, StockOuts.percentile(List.of(1L, 2L), 50));
        assertEquals(2L, StockOuts.percentile(List.of(1L, 2L), 95));
        assertEquals(2L, StockOuts.percentile(List.of(1L, 2L, 3L), 50));
    }

    @Test
    void the_last_outcome_wins_parked_then_landed_is_landed_and_landed_then_parked_is_parked() {
        StockOuts s = new StockOuts();
        s.sent(row("A", 1));
        s.sent(row("B", 2));
        s.sent(row("C", 3));
        s.parked("A|M1");
        s.landed("A|M1", 40);
        s.landed("B|M1", 30);
        s.parked("B|M1");
        s.parked("C|M1");
        s.parked("OTHER|M1");
        StockOutFigures f = s.figures();
        assertEquals(List.of("B / M1", "C / M1"), f.parked());
        assertEquals(2, f.landed(), "A and B landed once");
        assertEquals(3, f.items());
        assertEquals(0, StockOuts.since(T, T));
    }

    @Test
    void a_negative_time_counts_as_zero() {
        StockOuts s = new StockOuts();
        s.sent(row("A", 1));
        s.landed("A|M1", -3);
        assertEquals(0L, s.figures().p50Ms());
    }
}
