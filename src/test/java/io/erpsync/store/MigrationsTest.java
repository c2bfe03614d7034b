package io.erpsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

class MigrationsTest {

    /** The versions Flyway reads from the file names (V4_1__x.sql is 4.1). */
    private static List<String> versionsOf(String folder) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", folder))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("V") && n.endsWith(".sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.')).sorted().toList();
        }
    }

    @Test
    void the_versions_it_expects_are_those_of_the_migration_files_in_the_jar() throws IOException {
        assertEquals(versionsOf("db/migration"), Migrations.VERSIONS.stream().sorted().toList(),
                "a new migration needs its version in Migrations.VERSIONS, or a start would skip it");
        assertEquals(versionsOf("db/vendor/postgresql"), Migrations.POSTGRES_VERSIONS.stream().sorted().toList());
    }

    @Test
    void a_store_with_every_version_applied_is_current_a_missing_or_failed_one_is_not() {
        assertTrue(Migrations.current(false, List.of("1", "2", "3", "4", "5", "6", "7", "8"), List.of()));
        assertTrue(Migrations.current(false, List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of()), "a newer jar's migration beside them");
        assertFalse(Migrations.current(false, List.of("1", "2", "3", "4", "5", "6", "7"), List.of()), "V8 not applied yet");
        assertFalse(Migrations.current(false, List.of("1", "2", "3", "4", "5", "6", "7", "8"), List.of("9")), "a failed migration goes to Flyway");
        assertFalse(Migrations.current(true, List.of("1", "2", "3", "4", "5", "6", "7", "8"), List.of()), "PostgreSQL also needs Quartz's 4.1");
        assertTrue(Migrations.current(true, List.of("1", "2", "3", "4", "4.1", "5", "6", "7", "8"), List.of()));
        assertFalse(Migrations.current(false, List.of(), List.of()));
    }

    @Test
    void a_migrated_store_reads_as_current_and_a_new_or_half_migrated_one_does_not() throws Exception {
        try (HikariDataSource db = Datasources.pool("store", "jdbc:h2:mem:migrations-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            assertFalse(Datasources.schemaCurrent(db, false), "no history table yet");

            Datasources.migrate(db);
            assertTrue(Datasources.schemaCurrent(db, false));
            Datasources.migrate(db);

            try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '6'");
            }
            assertFalse(Datasources.schemaCurrent(db, false), "V6 missing: Flyway runs");
        }
    }
}
