package io.erpsync.bom;

import io.erpsync.store.Jdbc;
import io.erpsync.store.StoreException;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The value our own latest applied change wrote to each component field, for the merge: the value
 * the component has after our own earlier changes is our chain's, not another user's, so a later
 * change of ours requested against an older value is not parked as a conflict with it. In the store
 * (bom_our_write), so that it holds after a restart and on the node that takes over; the values as
 * text, which the merge compares as numbers or text by field (BomMerge.same).
 */
public final class OurWrites {
    private final DataSource ds;

    public OurWrites(DataSource ds) {
        this.ds = ds;
    }

    /** Our change sent these fields and the ERP applied them. */
    void wrote(long billId, long componentId, Map<String, Object> fields, Instant at) {
        try (Connection c = ds.getConnection()) {
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                // why: another process (a replay beside the BOM cycle) may record the field between the update and the insert
                if (!updated(c, billId, componentId, f, at) && !inserted(c, billId, componentId, f, at)) {
                    updated(c, billId, componentId, f, at);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("recording what our change wrote to component " + componentId + " of bill " + billId, e);
        }
    }

    /** The field's record replaced, unless it is newer: a process that froze and came back never puts an older value over a newer one. */
    private static boolean updated(Connection c, long billId, long componentId, Map.Entry<String, Object> field, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE bom_our_write SET written_value = ?, written_at = ? WHERE bill_sequence_id = ? "
                + "AND component_sequence_id = ? AND field = ? AND written_at <= ?")) {
            bind(ps, billId, componentId, field, at);
            Jdbc.setInstant(ps, 6, at);
            return ps.executeUpdate() > 0;
        }
    }

    /** The field's first record; false when one is there already. */
    private static boolean inserted(Connection c, long billId, long componentId, Map.Entry<String, Object> field, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bom_our_write (written_value, written_at, bill_sequence_id, "
                + "component_sequence_id, field) VALUES (?, ?, ?, ?, ?)")) {
            bind(ps, billId, componentId, field, at);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private static void bind(PreparedStatement ps, long billId, long componentId, Map.Entry<String, Object> field, Instant at) throws SQLException {
        Object v = field.getValue();
        ps.setString(1, v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
        Jdbc.setInstant(ps, 2, at);
        ps.setLong(3, billId);
        ps.setLong(4, componentId);
        ps.setString(5, field.getKey());
    }

    /** The value our latest change wrote to each field of this component that one of ours wrote. */
    Map<String, Object> of(long billId, long componentId) {
        String sql = "SELECT field, written_value FROM bom_our_write WHERE bill_sequence_id = ? AND component_sequence_id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, billId);
            ps.setLong(2, componentId);
            Map<String, Object> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading what our changes wrote to component " + componentId + " of bill " + billId, e);
        }
    }
}
