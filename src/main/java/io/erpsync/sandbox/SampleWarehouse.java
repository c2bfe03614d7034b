package io.erpsync.sandbox;


import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * The dev profile's warehouse: a stock_level table whose rows name the sandbox's items, a quarter
 * of them already equal to the ERP, the rest changed. Created once; later runs keep what is there.
 */
public final class SampleWarehouse {
    private SampleWarehouse() {
    }

    public static final String DDL = "CREATE TABLE IF NOT EXISTS stock_level (item_number VARCHAR(40) NOT NULL, "
            + "organization_code VARCHAR(10) NOT NULL, category VARCHAR(40), quantity NUMERIC(18, 4), updated_at TIMESTAMP NOT NULL)";

    /** The BOM inbox (README: Bills of materials), empty until someone requests a change. */
    public static final String BOM_DDL = "CREATE TABLE IF NOT EXISTS bom_change (change_id BIGINT PRIMARY KEY, bill_sequence_id BIGINT, "
            + "component_sequence_id BIGINT, component_item_number VARCHAR(40), old_quantity NUMERIC(18, 4), new_quantity NUMERIC(18, 4), "
            + "old_lead_time_offset NUMERIC(9), new_lead_time_offset NUMERIC(9), old_notes VARCHAR(400), new_notes VARCHAR(400), "
            + "requested_by VARCHAR(100), requested_at TIMESTAMP NOT NULL)";

    public static void ensure(DataSource wms, SandboxErp sandbox, int rows) throws SQLException {
        try (Connection c = wms.getConnection(); Statement st = c.createStatement()) {
            st.execute(DDL);
            st.execute(BOM_DDL);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM stock_level")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Instant base = Instant.now().minusSeconds(rows);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int n = 1; n <= Math.min(rows, sandbox.itemCount()); n++) {
                    Map<String, Object> item = sandbox.item(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2");
                    BigDecimal erp = new BigDecimal(String.valueOf(item.get("OnhandQuantity")));
                    ps.setString(1, (String) item.get("ItemNumber"));
                    ps.setString(2, (String) item.get("OrganizationCode"));
                    ps.setString(3, (String) item.get("ItemCategory"));
                    ps.setBigDecimal(4, n % 4 == 0 ? erp : erp.add(BigDecimal.valueOf(n % 17 + 1)));
                    ps.setTimestamp(5, Timestamp.from(base.plusSeconds(n)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
