package io.erpsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.check.HistoryChecker;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.store.ExceptionRow;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random mixes of good and malformed WMS rows through the real runtime: each bad row is parked
 * with a reason that names it, the good rows in the same batches still sync, and nothing the
 * contract calls invalid (a negative or non-numeric quantity) ever reaches the ERP.
 */
class BadRowsFuzzTest {

    /** One WMS row as a test writes it: raw text in a text column, so anything a WMS could hold fits. */
    record Row(String item, String org, String quantity) {
    }

    @Property(tries = 4, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void bad_rows_are_parked_by_name_and_the_good_ones_in_their_batches_still_sync(@ForAll("mixes") @Size(min = 10, max = 30) List<Row> rows)
            throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(60);
             TestRuntime rt = new TestRuntime(erp).set("wms.query", "SELECT item AS item_number, org AS organization_code, cat AS category, "
                     + "qty AS quantity, changed AS updated_at FROM raw_stock WHERE changed > :?since ORDER BY changed")
                     .set("sync.retry.initial-delay", "50ms").set("sync.retry.max-delay", "100ms")) {
            Instant t = Instant.parse("2026-02-01T00:00:00Z");
            try (Connection c = DriverManager.getConnection(rt.wmsUrl)) {
                c.createStatement().execute("CREATE TABLE raw_stock (item VARCHAR(1000), org VARCHAR(200), cat VARCHAR(40), "
                        + "qty VARCHAR(100), changed TIMESTAMP)");
                // the checker reads the WMS history from a table of this shape
                c.createStatement().execute("CREATE VIEW stock_history AS SELECT item AS item_number, org AS organization_code, "
                        + "qty AS quantity, changed AS updated_at FROM raw_stock");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_stock VALUES (?, ?, 'TOOLS', ?, ?)")) {
                    for (Row r : rows) {
                        t = t.plusSeconds(1);
                        ps.setString(1, r.item());
                        ps.setString(2, r.org());
                        ps.setString(3, r.quantity());
                        ps.setTimestamp(4, Timestamp.from(t));
                        ps.executeUpdate();
                    }
                }
            }
            rt.start();

            CycleSummary s = rt.runCycle();

            assertTrue(s.status().equals(CycleSummary.SUCCEEDED) || s.status().equals(CycleSummary.PARKED), s.toString());
            assertEquals(rows.size(), s.read());
            // each item's newest row: synced if it is good, else an OPEN row whose reason names the item
            Map<String, Row> newest = new LinkedHashMap<>();
            for (Row r : rows) {
                newest.put(r.item() + "|" + r.org(), r);
            }
            List<ExceptionRow> open = rt.exceptions("OPEN");
            for (Row r : newest.values()) {
                if (!good(r, erp)) {
                    String named = r.item() == null || r.item().isBlank() ? "item <missing>"
                            : "item " + (r.item().trim().length() <= 80 ? r.item().trim() : r.item().trim().substring(0, 80));
                    assertTrue(open.stream().anyMatch(o -> o.reason().contains(named) || (r.item() != null && r.item().equals(o.itemNumber()))),
                            "no OPEN row names " + r + ": " + open);
                }
            }
            new HistoryChecker(erp, rt.wmsUrl, rt.storeUrl).table("stock_history").assertHolds();
            // nothing invalid reached the ERP: every quantity sent is a number, not negative
            for (RequestLog.Entry e : erp.requests().entries()) {
                for (String q : e.quantities().values()) {
                    assertTrue(new BigDecimal(q).signum() >= 0, "sent " + q);
                }
            }
        }
    }

    /** Whether the contract accepts the row and the ERP knows the item. */
    static boolean good(Row r, SandboxErp erp) {
        if (r.item() == null || r.org() == null || r.item().isBlank() || r.org().isBlank() || r.quantity() == null) {
            return false;
        }
        try {
            return new BigDecimal(r.quantity().trim()).signum() >= 0 && erp.item(r.item().trim(), r.org().trim()) != null;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<List<Row>> mixes() {
        Arbitrary<Row> goodRow = Combinators.combine(Arbitraries.integers().between(1, 60),
                        Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("99999")).ofScale(3))
                .as((n, q) -> new Row(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2", q.toPlainString()));
        Arbitrary<Row> badQuantity = Combinators.combine(Arbitraries.integers().between(1, 60),
                        Arbitraries.of("-1", "-0.001", "NaN", "Infinity", "-Infinity", "twelve", "", "1,5", "12 pcs", null))
                .as((n, q) -> new Row(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2", q));
        Arbitrary<Row> badItem = Combinators.combine(
                        Arbitraries.of(null, "", "   ", "O'Brien", "ITM-1' OR '1'='1", "'); DROP TABLE sync_exception; --", "部品-0001",
                                "x) and (OrganizationCode = 'M2", "ÄÖÜ-ß", "y".repeat(400), "z".repeat(299)),
                        Arbitraries.of("M1", "M2", "ZZ"))
                .as((i, o) -> new Row(i, o, "5"));
        Arbitrary<Row> unknownOrg = Arbitraries.integers().between(1, 60).map(n -> new Row(SandboxItems.itemNumber(n), "ZZ", "3"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, goodRow), net.jqwik.api.Tuple.of(2, badQuantity),
                net.jqwik.api.Tuple.of(2, badItem), net.jqwik.api.Tuple.of(1, unknownOrg)).list();
    }
}
