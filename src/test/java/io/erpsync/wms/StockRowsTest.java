package io.erpsync.wms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    static Map<String, Object> rowUpdatedAt(Object updatedAt) {
        Map<String, Object> m = row("ITM-1", "M1", 1);
        m.put("UPDATED_AT", updatedAt);
        return m;
    }

    @Test
    void a_finite_double_quantity_is_taken_at_its_decimal_value_and_nan_is_rejected() {
        assertEquals(new BigDecimal("2.5"), new StockRows(List.of()).read(row("ITM-1", "M1", 2.5d), 1).level().quantity());
        assertEquals(new BigDecimal("0.1"), rows.read(row("ITM-1", "M1", 0.1d), 1).level().quantity(), "as written, not 0.1000000000000000055...");
        assertEquals(new BigDecimal("7"), rows.read(row("ITM-1", "M1", 7L), 1).level().quantity());
        assertEquals(new BigDecimal("3"), rows.read(row("ITM-1", "M1", " 3.0 "), 1).level().quantity());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity 'NaN' is not a finite number",
                new StockRows(List.of()).read(row("ITM-1", "M1", Double.NaN), 1).rejected().reason());
        assertEquals(new BigDecimal("1.5"), rows.read(row("ITM-1", "M1", 1.5f), 1).level().quantity());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity 'NaN' is not a finite number",
                rows.read(row("ITM-1", "M1", Float.NaN), 1).rejected().reason());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity 'many' is not a finite number",
                rows.read(row("ITM-1", "M1", "many"), 1).rejected().reason());
        assertEquals("WMS row 1 (item ITM-1, organization M1): quantity 'true' is not a finite number",
                rows.read(row("ITM-1", "M1", true), 1).rejected().reason());
    }

    @Test
    void updated_at_is_read_from_every_timestamp_type_a_driver_returns() {
        assertEquals(AT, rows.read(rowUpdatedAt(OffsetDateTime.ofInstant(AT, ZoneOffset.ofHours(2))), 1).level().updatedAt());
        assertEquals(AT, rows.read(rowUpdatedAt(ZonedDateTime.ofInstant(AT, ZoneId.of("Europe/Berlin"))), 1).level().updatedAt());
        assertEquals(AT, rows.read(rowUpdatedAt(LocalDateTime.ofInstant(AT, ZoneId.systemDefault())), 1).level().updatedAt(),
                "a time without zone is in the JVM's zone");
        assertEquals(AT, rows.read(rowUpdatedAt(AT), 1).level().updatedAt());
        assertEquals(AT, rows.read(rowUpdatedAt(Date.from(AT)), 1).level().updatedAt());
        assertEquals(AT, new StockRows(List.of()).read(rowUpdatedAt(Timestamp.from(AT)), 1).level().updatedAt());
        assertEquals("WMS row 1 (item ITM-1, organization M1): updated_at is missing or not a timestamp",
                rows.read(rowUpdatedAt("2026-01-01T10:00:00Z"), 1).rejected().reason());
    }

    @Test
    void item_numbers_and_organization_codes_up_to_their_longest_are_taken() {
        assertEquals("x".repeat(300), rows.read(row("x".repeat(300), "M1", 1), 1).level().itemNumber());
        assertEquals("WMS row 1 (item " + "x".repeat(80) + "... (301 characters), organization M1): item_number is longer than 300 characters",
                rows.read(row("x".repeat(301), "M1", 1), 1).rejected().reason());
        assertEquals("o".repeat(100), rows.read(row("ITM-1", "o".repeat(100), 1), 1).level().organizationCode());
        assertEquals("WMS row 1 (item ITM-1, organization " + "o".repeat(80) + "... (101 characters)): organization_code is longer than 100 characters",
                rows.read(row("ITM-1", "o".repeat(101), 1), 1).rejected().reason());
        assertEquals("WMS row 1 (item " + "y".repeat(80) + ", organization M1): quantity is missing",
                rows.read(row("y".repeat(80), "M1", null), 1).rejected().reason(), "80 characters are shown whole");
        assertEquals("WMS row 1 (item <missing>, organization M1): item_number is missing", rows.read(row(null, "M1", 1), 1).rejected().reason());
    }

    @Test
    void the_organization_leads_the_segment_columns_and_blank_names_are_dropped() {
        assertEquals(List.of("organization_code", "zone", "category"), StockRows.of(" Zone , ,organization_code,category").segmentColumns());
        assertEquals(List.of("organization_code"), StockRows.of("").segmentColumns());
    }

    @Test
    void a_segment_column_the_query_does_not_return_is_a_setting_error() {
        Map<String, Object> m = row("ITM-1", "M1", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StockRows.of("zone").read(m, 1));
        assertTrue(e.getMessage().startsWith("sync.segment.fields names zone but wms.query returns only "), e.getMessage());
    }

    @Test
    void rows_whose_columns_are_named_differently_from_the_last_are_read_by_their_own_names() {
        List<String> columns = List.of("item_number", "organization_code", "quantity", "updated_at", "category");
        StockRows read = StockRows.of("category");
        for (String renamed : columns) {
            Map<String, Object> lower = new HashMap<>();
            Map<String, Object> upper = new HashMap<>();
            row("ITM-1", "M1", 5).forEach((k, v) -> lower.put(k.toLowerCase(), v));
            lower.forEach((k, v) -> upper.put(k.equals(renamed) ? k.toUpperCase() : k, v));
            for (Map<String, Object> r : List.of(lower, upper, lower)) {
                StockLevel l = read.read(r, 1).level();
                assertEquals(new StockLevel("ITM-1", "M1", new BigDecimal(5), AT, "M1|TOOLS", 1), l, renamed + " in " + r.keySet());
            }
        }
    }

    static Map<String, Object> at(Map<String, Object> row, String instant) {
        row.put("UPDATED_AT", Timestamp.from(Instant.parse(instant)));
        return row;
    }

    @Test
    void of_the_rows_the_item_query_found_the_newest_valid_one_wins_and_none_valid_is_none() {
        StockLevel newest = rows.newest(List.of(at(row("ITM-1", "M1", 4), "2026-01-01T10:00:00Z"),
                at(row("ITM-1", "M1", 9), "2026-01-01T12:00:00Z"),
                at(row("ITM-1", "M1", -1), "2026-01-01T13:00:00Z"),
                at(row("ITM-1", "M1", 6), "2026-01-01T11:00:00Z")));
        assertEquals(new BigDecimal(9), newest.quantity(), "the invalid newer row is passed over");
        assertEquals(Instant.parse("2026-01-01T12:00:00Z"), newest.updatedAt());
        assertNull(rows.newest(List.of(row("ITM-1", "M1", "lots"))));
        assertNull(rows.newest(List.of()));
    }

    @Test
    void the_item_query_reads_every_row_of_one_item() {
        Map<String, Object> headers = new HashMap<>(Map.of("left", "over"));
        StockRows.itemQueryParameters("ITM-1", "M1", headers);
        assertEquals(Map.of("item", "ITM-1", "org", "M1", "since", Timestamp.from(Instant.EPOCH)), headers);
    }

    @Test
    void an_optional_numeric_column_is_found_whatever_its_case_and_absent_null_or_blank_is_none() {
        Map<String, Object> raw = new HashMap<>(row("ITM-1", "M1", "5"));
        assertNull(StockRows.optionalNumber(raw, StockRows.SAFETY_STOCK), "no such column");
        raw.put("SAFETY_STOCK", new BigDecimal("12.5"));
        assertEquals(new BigDecimal("12.5"), StockRows.optionalNumber(raw, StockRows.SAFETY_STOCK));
        raw.put("Previous_Quantity", 40);
        assertEquals(0, BigDecimal.valueOf(40).compareTo(StockRows.optionalNumber(raw, StockRows.PREVIOUS_QUANTITY)));
        raw.put("Previous_Quantity", " 7 ");
        assertEquals(0, BigDecimal.valueOf(7).compareTo(StockRows.optionalNumber(raw, StockRows.PREVIOUS_QUANTITY)), "text is read");
        raw.put("Previous_Quantity", "  ");
        assertNull(StockRows.optionalNumber(raw, StockRows.PREVIOUS_QUANTITY), "blank");
        raw.put("Previous_Quantity", null);
        assertNull(StockRows.optionalNumber(raw, StockRows.PREVIOUS_QUANTITY), "null");
        raw.put("SAFETY_STOCK", "lots");
        assertEquals("safety_stock 'lots' is not a finite number",
                assertThrows(IllegalArgumentException.class, () -> StockRows.optionalNumber(raw, StockRows.SAFETY_STOCK)).getMessage());
    }
}
