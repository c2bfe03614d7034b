package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Which rows are stock-outs that go first (sync.priority.threshold, safety_stock, sync.priority.drop). */
class StockOutRuleTest {
    static final StockOutRule DEFAULT = new StockOutRule(BigDecimal.ZERO, BigDecimal.valueOf(50));

    static BigDecimal q(String s) {
        return s == null ? null : new BigDecimal(s);
    }

    static boolean first(StockOutRule rule, String quantity, String safety, String previous) {
        return rule.goesFirst(q(quantity), q(safety), q(previous));
    }

    @Test
    void zero_is_a_stock_out_and_anything_above_the_threshold_alone_is_not() {
        assertTrue(first(DEFAULT, "0", null, null));
        assertTrue(first(DEFAULT, "0.000", null, null));
        assertFalse(first(DEFAULT, "0.001", null, null));
        assertFalse(first(DEFAULT, "1", null, null));
        StockOutRule five = new StockOutRule(BigDecimal.valueOf(5), BigDecimal.valueOf(50));
        assertTrue(first(five, "5", null, null), "at the threshold");
        assertTrue(first(five, "4.9", null, null));
        assertFalse(first(five, "5.1", null, null));
    }

    @Test
    void at_or_below_the_items_safety_stock_goes_first() {
        assertTrue(first(DEFAULT, "12", "12", null), "at the safety stock");
        assertTrue(first(DEFAULT, "11", "12", null));
        assertFalse(first(DEFAULT, "13", "12", null));
        assertFalse(first(DEFAULT, "1", "0", null), "a safety stock of zero adds nothing");
    }

    @Test
    void a_fall_of_more_than_the_drop_percent_goes_first_and_one_of_exactly_it_does_not() {
        assertTrue(first(DEFAULT, "49", null, "100"), "fell 51 %");
        assertFalse(first(DEFAULT, "50", null, "100"), "fell exactly 50 %");
        assertFalse(first(DEFAULT, "51", null, "100"));
        assertFalse(first(DEFAULT, "150", null, "100"), "rose");
        assertFalse(first(DEFAULT, "100", null, "100"), "same");
        assertFalse(first(DEFAULT, "3", null, "0"), "from nothing, nothing fell");
        assertTrue(first(DEFAULT, "0.3", null, "1"), "fell 70 % of a small stock");
        StockOutRule never = new StockOutRule(BigDecimal.ZERO, BigDecimal.valueOf(100));
        assertFalse(first(never, "0.0001", null, "1000000"), "100 %: no fall is more than all of it");
        StockOutRule any = new StockOutRule(BigDecimal.ZERO, BigDecimal.ZERO);
        assertTrue(first(any, "99.9", null, "100"), "0 %: every fall");
    }

    @Test
    void wrong_settings_are_refused_naming_the_key() {
        assertEquals("sync.priority.threshold must be at least 0, was -1",
                assertThrows(IllegalStateException.class, () -> new StockOutRule(BigDecimal.valueOf(-1), BigDecimal.TEN)).getMessage());
        assertEquals("sync.priority.drop must be between 0 and 100 (percent), was 101",
                assertThrows(IllegalStateException.class, () -> new StockOutRule(BigDecimal.ZERO, BigDecimal.valueOf(101))).getMessage());
        assertEquals("sync.priority.drop must be between 0 and 100 (percent), was -0.5",
                assertThrows(IllegalStateException.class, () -> new StockOutRule(BigDecimal.ZERO, new BigDecimal("-0.5"))).getMessage());
    }

    @Test
    void the_rule_in_sql_picks_in_the_database_exactly_the_rows_it_picks_here() throws Exception {
        String[][] cases = {{"0", null, null}, {"1", null, null}, {"5", "6", null}, {"6", "6", null}, {"7", "6", null}, {"40", null, "100"},
                {"60", null, "100"}, {"50", null, "100"}, {"150", null, "100"}, {"3", null, "0"}, {"0.3", null, "1"}, {"2", "1", "10"},
                {"2.5", null, null}};
        for (StockOutRule rule : List.of(new StockOutRule(BigDecimal.ZERO, BigDecimal.valueOf(50)), new StockOutRule(new BigDecimal("2.5"),
                new BigDecimal("12.5")))) {
            try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rule" + System.nanoTime())) {
                c.createStatement().execute("CREATE TABLE t (id INT, quantity NUMERIC(18, 4), safety_stock NUMERIC(18, 4), previous_quantity NUMERIC(18, 4))");
                Set<Integer> here = new TreeSet<>();
                for (int i = 0; i < cases.length; i++) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
                        ps.setInt(1, i);
                        for (int col = 0; col < 3; col++) {
                            ps.setBigDecimal(col + 2, cases[i][col] == null ? null : new BigDecimal(cases[i][col]));
                        }
                        ps.executeUpdate();
                    }
                    if (first(rule, cases[i][0], cases[i][1], cases[i][2])) {
                        here.add(i);
                    }
                }
                Set<Integer> there = new TreeSet<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t WHERE " + rule.sqlCondition(true, true))) {
                    while (rs.next()) {
                        there.add(rs.getInt(1));
                    }
                }
                assertEquals(here, there, rule.sqlCondition(true, true));
                assertFalse(here.isEmpty() || here.size() == cases.length, "some, not all: " + here);
            }
        }
        assertEquals("quantity <= 0", new StockOutRule(BigDecimal.ZERO, BigDecimal.TEN).sqlCondition(false, false), "no optional column: none named");
    }

    @Test
    void on_whole_number_columns_the_rule_in_sql_holds_for_quantities_in_the_tens_of_millions() throws Exception {
        StockOutRule rule = new StockOutRule(BigDecimal.ZERO, BigDecimal.valueOf(50));
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:big" + System.nanoTime())) {
            c.createStatement().execute("CREATE TABLE t (id INT, quantity INT, safety_stock INT, previous_quantity INT)");
            // fell by 97 % (goes first), by 20 % (does not), from 2,000 million
            c.createStatement().execute("INSERT INTO t VALUES (1, 1000000, NULL, 30000000), (2, 24000000, NULL, 30000000), (3, 1, NULL, 2000000000)");
            Set<Integer> there = new TreeSet<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t WHERE " + rule.sqlCondition(true, true))) {
                while (rs.next()) {
                    there.add(rs.getInt(1));
                }
            }
            assertEquals(Set.of(1, 3), there, "as here: " + first(rule, "1000000", null, "30000000") + ", " + first(rule, "24000000", null, "30000000"));
        }
    }
}
