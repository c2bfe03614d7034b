package io.erpsync.wms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.Map;

/**
 * Whatever a WMS row holds, it becomes a stock level the contract accepts or a rejection that
 * names the row and says why; never an exception, never both, never neither.
 */
class StockRowsPropertiesTest {
    final StockRows rows = StockRows.of("category");

    @Property(tries = 2000)
    void every_row_is_a_valid_stock_level_or_a_rejection_naming_the_row(@ForAll("rows") Map<String, Object> row,
                                                                        @ForAll @LongRange(min = 1, max = 50_000_000) long n) {
        StockRows.Result r = rows.read(row, n);

        assertTrue((r.level() == null) != (r.rejected() == null), "exactly one of level and rejection: " + r);
        if (r.rejected() != null) {
            String reason = r.rejected().reason();
            assertTrue(reason.startsWith("WMS row " + n + " (item "), reason);
            assertTrue(reason.length() < 600, "a reason an operator can read, not the row's whole text: " + reason.length());
        } else {
            StockLevel l = r.level();
            // what the contract accepts (section 2.3): a number, not negative
            assertTrue(l.quantity().signum() >= 0, l.toString());
            assertTrue(!l.itemNumber().isBlank() && l.itemNumber().length() <= StockRows.MAX_ITEM_NUMBER, l.itemNumber());
            assertTrue(!l.organizationCode().isBlank() && l.organizationCode().length() <= StockRows.MAX_ORGANIZATION);
            assertNotNull(l.updatedAt());
        }
    }

    @Property(tries = 500)
    void a_non_negative_quantity_is_kept_exactly_whatever_its_scale(@ForAll("quantities") BigDecimal q) {
        StockLevel l = rows.read(StockRowsTest.row("ITM-1", "M1", q), 1).level();

        assertNotNull(l, "valid: " + q);
        assertEquals(0, q.compareTo(l.quantity()), "the value is the WMS's to the last digit");
    }

    @Property(tries = 500)
    void a_negative_or_not_finite_quantity_is_always_rejected(@ForAll("badQuantities") Object q) {
        StockRows.Result r = rows.read(StockRowsTest.row("ITM-1", "M1", q), 4);

        assertNull(r.level(), "rejected: " + q);
        assertTrue(r.rejected().reason().matches("WMS row 4 \\(item ITM-1, organization M1\\): quantity .*"), r.rejected().reason());
    }

    // ---- generators --------------------------------------------------------------------------

    @Provide
    Arbitrary<Map<String, Object>> rows() {
        Arbitrary<Object> updated = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 4_000_000_000_000L).map(ms -> (Object) new Timestamp(ms)),
                Arbitraries.of((Object) null, "yesterday", "2026-01-01T10:00:00Z"));
        return Combinators.combine(items(), organizations(), anyQuantity(), updated).as((i, o, q, u) -> {
            Map<String, Object> m = StockRowsTest.row(i, o, q);
            m.put("UPDATED_AT", u);
            return m;
        });
    }

    /** Item numbers as a careless WMS holds them: empty, blank, very long, unicode, quotes, SQL. */
    static Arbitrary<String> items() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).alpha().numeric().withChars("-_."),
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().alpha().ofMinLength(290).ofMaxLength(400),
                Arbitraries.of("", "   ", "O'Brien", "ITM-1' OR '1'='1", "'); DROP TABLE sync_exception; --", "ÄÖÜ-ß-ünïcødé",
                        "部品-0001", "a\"b", "x) and (OrganizationCode = 'M2", "tab\there", "line\nbreak"),
                Arbitraries.just(null));
    }

    static Arbitrary<String> organizations() {
        return Arbitraries.oneOf(Arbitraries.of("M1", "M2", "ZZ", "", " ", "m1"), Arbitraries.strings().all().ofMaxLength(150),
                Arbitraries.just(null));
    }

    @Provide
    Arbitrary<BigDecimal> quantities() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1E12")).ofScale(0),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100000")).ofScale(6),
                Arbitraries.of(BigDecimal.ZERO, new BigDecimal("0.0000001"), new BigDecimal("123456789012345678901234567890.5")));
    }

    @Provide
    Arbitrary<Object> badQuantities() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new BigDecimal("-1E12"), new BigDecimal("-0.000001")).ofScale(6).map(b -> (Object) b),
                Arbitraries.doubles().between(-1e12, -0.01).map(d -> (Object) d), Arbitraries.of(-Double.MAX_VALUE, -Double.MIN_VALUE),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN, "NaN", "Infinity", "-Infinity",
                        "twelve", "", "1,5", "12 pcs", "0x1F", "--1", "1e", "-0.5", -1, -1L));
    }

    static Arbitrary<Object> anyQuantity() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new BigDecimal("-1E20"), new BigDecimal("1E20")).ofScale(4).map(b -> (Object) b),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE, Long.MAX_VALUE, "1e400", "-0", "NaN", (Object) null));
    }
}
