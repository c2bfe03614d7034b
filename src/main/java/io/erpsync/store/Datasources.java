package io.erpsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** Connection pools for the WMS source and the runtime's own store, and the store's migrations. */
public final class Datasources {
    private Datasources() {
    }

    public static HikariDataSource pool(String name, String url, String username, String password, int size) {
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
        return new HikariDataSource(c);
    }

    /** Versioned migrations under db/migration, on H2 and PostgreSQL alike. */
    public static void migrate(DataSource store) {
        Flyway.configure().dataSource(store).locations("classpath:db/migration").load().migrate();
    }
}
