package io.erpsync.bom;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** The tests' rows of the bom_change inbox: a quantity change of one component, named by its id or by its item number. */
final class BomInbox {
    private BomInbox() {
    }

    static void quantityChange(String wmsUrl, long changeId, long bill, Long componentId, String componentItem, Object oldQty, Object newQty,
                               Instant requestedAt) throws SQLException {
        try (Connection c = DriverManager.getConnection(wmsUrl); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bom_change (change_id, bill_sequence_id, component_sequence_id, component_item_number, old_quantity, new_quantity, "
                        + "requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?, 'PLM', ?)")) {
            ps.setLong(1, changeId);
            ps.setLong(2, bill);
            if (componentId == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, componentId);
            }
            ps.setString(4, componentItem);
            ps.setBigDecimal(5, new BigDecimal(String.valueOf(oldQty)));
            ps.setBigDecimal(6, new BigDecimal(String.valueOf(newQty)));
            ps.setTimestamp(7, Timestamp.from(requestedAt));
            ps.executeUpdate();
        }
    }
}
