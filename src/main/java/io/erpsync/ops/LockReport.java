package io.erpsync.ops;

import io.erpsync.core.FailureClass;
import io.erpsync.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lock-pattern report: which items lock most, at which hours and weekdays, held by whom, and the
 * conflict rate per cycle, from sync_attempt and sync_run. It tells whether the integration or the
 * ERP's process design needs changing (teams draw that line at about 10 % conflicts).
 */
public final class LockReport {
    private final DataSource ds;
    private final ZoneId zone;

    public LockReport(DataSource ds, ZoneId zone) {
        this.ds = ds;
        this.zone = zone;
    }

    public record ItemCount(String item, String organization, long conflicts) {
    }

    public record CycleRate(long run, String startedAt, int conflicts, int read, double rate) {
    }

    /** heatmap[weekday 0=Mon..6=Sun][hour 0..23] counts conflicts in the report's zone. */
    public record Report(String since, String zone, List<ItemCount> hottestItems, Map<String, Long> byOwner,
                         Map<String, Long> byClass, long[][] heatmap, List<CycleRate> cycles) {
    }

    public Report since(Instant since) {
        List<ItemCount> items = new ArrayList<>();
        Map<String, Long> owners = new LinkedHashMap<>();
        Map<String, Long> classes = new LinkedHashMap<>();
        long[][] heat = new long[7][24];
        List<CycleRate> cycles = new ArrayList<>();
        String conflict = "failure_class IN (" + FailureClass.conflictsAsSql() + ") AND at >= ?";
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT item_number, organization_code, COUNT(*) n FROM sync_attempt WHERE "
                    + conflict + " AND item_number IS NOT NULL GROUP BY item_number, organization_code ORDER BY n DESC, item_number")) {
                ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneId.of("UTC")));
                ps.setMaxRows(20);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new ItemCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT at, lock_owner, failure_class FROM sync_attempt WHERE " + conflict)) {
                ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneId.of("UTC")));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ZonedDateTime at = rs.getObject(1, OffsetDateTime.class).atZoneSameInstant(zone);
                        heat[at.getDayOfWeek().getValue() - 1][at.getHour()]++;
                        String owner = rs.getString(2);
                        owners.merge(owner == null ? "(none named)" : owner, 1L, Long::sum);
                        classes.merge(rs.getString(3), 1L, Long::sum);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, conflicts, rows_read FROM sync_run WHERE started_at >= ? "
                    + "AND trigger_kind NOT IN ('REPLAY', 'BOM') AND status NOT IN ('SKIPPED_OVERLAP', 'SKIPPED_JOB_RUNNING') "
                    // the conflict rate per cycle is the ERP's (a storefront's cycles are on the status page's section of its own)
                    + "AND target = 'erp' ORDER BY id")) {
                ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneId.of("UTC")));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int conflicts = rs.getInt(3);
                        int read = rs.getInt(4);
                        cycles.add(new CycleRate(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant().toString(), conflicts, read,
                                read == 0 ? 0 : Math.min(1.0, (double) conflicts / read)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("building the lock-pattern report", e);
        }
        return new Report(since.toString(), zone.getId(), items, owners, classes, heat, cycles);
    }

    public static String text(Report r) {
        StringBuilder b = new StringBuilder();
        b.append("Lock-pattern report since ").append(r.since()).append(" (hours in ").append(r.zone()).append(")\n\n");
        b.append("Items locked or changed underneath most often:\n");
        if (r.hottestItems().isEmpty()) {
            b.append("  none\n");
        }
        for (ItemCount i : r.hottestItems()) {
            b.append(String.format("  %-20s %-6s %6d%n", i.item(), i.organization(), i.conflicts()));
        }
        b.append("\nConflicts by lock owner:\n");
        r.byOwner().forEach((k, v) -> b.append(String.format("  %-20s %6d%n", k, v)));
        b.append("\nConflicts by class:\n");
        r.byClass().forEach((k, v) -> b.append(String.format("  %-20s %6d%n", k, v)));
        b.append("\nConflicts by hour of day (columns 00-23) and weekday:\n     ");
        for (int h = 0; h < 24; h++) {
            b.append(String.format("%3d", h));
        }
        b.append('\n');
        for (int d = 0; d < 7; d++) {
            b.append("  ").append(DayOfWeek.of(d + 1).getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append(' ');
            for (int h = 0; h < 24; h++) {
                b.append(String.format("%3s", r.heatmap()[d][h] == 0 ? "." : String.valueOf(r.heatmap()[d][h])));
            }
            b.append('\n');
        }
        b.append("\nConflict rate per cycle:\n");
        for (CycleRate c : r.cycles()) {
            b.append(String.format("  run %-6d %s  %5d conflicts / %6d rows  %5.1f %%%n", c.run(), c.startedAt(), c.conflicts(), c.read(),
                    c.rate() * 100));
        }
        return b.toString();
    }
}
