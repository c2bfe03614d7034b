package io.erpsync.wms;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StockRowsTest {
    final StockRows rows = StockRows.of("category");

    static Map<String, Object> row(Object item, Object org, Object qty) {
        Map<String, Object> m = new HashMap<>();
        m.put("ITEM_NUMBER", item);
        m.put("ORGANIZATION_CODE", org);
        m.put("CATEGORY", "TOOLS");
        m.put("QUANTITY", qty);
        m.put("UPDATED_AT", Timestamp.from(Instant.parse("2026-01-01T10:00:00Z")));
        return m;
    }

    @Test
    void a_valid_row_becomes_a_stock_level_keyed_by_organization_and_segment() {
        StockLevel l = rows.read(row("ITM-1", "M1", new BigDecimal("12.500")), 3).level();
        assertEquals("ITM-1|M1", l.key());
        assertEquals("M1|TOOLS", l.segment(), "the organization always leads the segment");
        assertEquals(new BigDecimal("12.5"), l.quantity());
        assertEquals(Instant.parse("2026-01-01T10:00:00Z"), l.updatedAt());
    }

    @Test
    void invalid_rows_are_rejected_with_a_reason_naming_the_row() {
        assertEquals("WMS row 7 (item ITM-1, organization M1): quantity -1 is negative", rows.read(row("ITM-1", "M1", -1), 7).rejected().reason());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity 'Infinity' is not a finite number",
                rows.read(row("ITM-1", "M1", Double.POSITIVE_INFINITY), 1).rejected().reason());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity is missing", rows.read(row("ITM-1", "M1", null), 1).rejected().reason());
        assertEquals("WMS row 2 (item ITM-1, organization <missing>): organization_code is missing",
                rows.read(row("ITM-1", " ", 1), 2).rejected().reason());
        assertNull(rows.read(row("ITM-1", "M1", "0"), 2).rejected(), "zero is a valid quantity");
    }

    @Test
    void a_query_without_a_required_column_is_a_setting_error_not_a_bad_row() {
        Map<String, Object> m = row("ITM-1", "M1", 1);
        m.remove("UPDATED_AT");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows.read(m, 1));
        assertTrue(e.getMessage().startsWith("wms.query must return a column named updated_at"), e.getMessage());
    }
}
