package io.erpsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Connection pools for the WMS source and the runtime's own store, and the store's migrations. */
public final class Datasources {
    private Datasources() {
    }

    public static HikariDataSource pool(String name, String url, String username, String password, int size) {
        return open(name, config(name, url, username, password, size));
    }

    /**
     * The WMS pool: its connections start without auto-commit, because a streamed read (fetch size)
     * holds a cursor that a commit would close on PostgreSQL; a read ends with a rollback when
     * the connection goes back to the pool. erp-sync only reads the WMS.
     */
    public static HikariDataSource source(String name, String url, String username, String password, int size) {
        HikariConfig c = config(name, url, username, password, size);
        c.setAutoCommit(false);
        if (url != null && url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("LAZY_QUERY_EXECUTION")) {
            // why: H2 builds a query's whole result before its first row unless lazy (100,000 rows: 0.4 s of idle lanes)
            c.setConnectionInitSql("SET LAZY_QUERY_EXECUTION TRUE");
            // why: a lazy read under READ COMMITTED sees rows committed ahead of its cursor while it reads, so a row
            // changed during the read could move the watermark past another change that it passed before; the read's
            // transaction (ended by the pool's rollback when the connection goes back) keeps one snapshot, as PostgreSQL's cursor does
            c.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        }
        return open(name, c);
    }

    /** A pool whose first connection failed stops the start with one line naming the database and why. */
    private static HikariDataSource open(String name, HikariConfig c) {
        try {
            return new HikariDataSource(c);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new Unreachable("erp-sync cannot start: the " + name + " database (" + name + ".datasource.url = "
                    + redacted(c.getJdbcUrl()) + ") cannot be reached within " + c.getInitializationFailTimeout() / 1000 + " s: "
                    + redacted(root.getMessage()));
        }
    }

    /** A database that does not answer at start-up, in one line an operator can act on. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** A JDBC URL fit for a log line: any password in it replaced. */
    public static String redacted(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static HikariConfig config(String name, String url, String username, String password, int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(url);
        c.setUsername(username);
        c.setPassword(password);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        // fail fast at start-up with the driver's own message rather than hang
        c.setInitializationFailTimeout(10_000);
        c.setConnectionTimeout(10_000);
        return c;
    }

    /**
     * Versioned migrations under db/migration, on H2 and PostgreSQL alike, and on PostgreSQL those
     * under db/vendor/postgresql too (Quartz's tables for cluster mode).
     */
    public static void migrate(DataSource store) {
        boolean postgres;
        try (Connection c = store.getConnection()) {
            postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new StoreException("reading which database the store is", e);
        }
        if (schemaCurrent(store, postgres)) {
            return;
        }
        String[] locations = postgres ? new String[] {"classpath:db/migration", "classpath:db/vendor/postgresql"}
                : new String[] {"classpath:db/migration"};
        Flyway.configure().dataSource(store).locations(locations).load().migrate();
    }

    /**
     * One read of Flyway's history table instead of Flyway itself: true when every migration of this
     * jar is applied (Migrations.current). A store without the table, or one that cannot be read, goes
     * to Flyway, which creates or reports it.
     */
    static boolean schemaCurrent(DataSource store, boolean postgres) {
        List<String> applied = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try (Connection c = store.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\"")) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (version != null) {
                    (rs.getBoolean(2) ? applied : failed).add(version);
                }
            }
        } catch (SQLException e) {
            return false;
        }
        return Migrations.current(postgres, applied, failed);
    }
}
