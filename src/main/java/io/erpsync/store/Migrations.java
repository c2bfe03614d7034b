package io.erpsync.store;

import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether the store's schema is current, from what Flyway recorded (flyway_schema_history): every
 * migration this jar holds applied, none failed. Then a start skips Flyway, whose scan of the jar and
 * checks of every applied script cost a start-up more than the rest of the store (README: Start-up).
 */
public final class Migrations {
    /** The versions under db/migration (V1__ .. V7__), on every database; MigrationsTest keeps them in step with the files. */
    static final List<String> VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8");
    /** The versions under db/vendor/postgresql, on PostgreSQL only. */
    static final List<String> POSTGRES_VERSIONS = List.of("4.1");

    private Migrations() {
    }

    /** The versions this jar migrates a store of this kind to. */
    static List<String> expected(boolean postgres) {
        if (!postgres) {
            return VERSIONS;
        }
        return Stream.concat(VERSIONS.stream(), POSTGRES_VERSIONS.stream()).toList();
    }

    /**
     * Current when every expected version was applied with success and no migration failed; a newer
     * version applied beside them (a newer jar ran) does not matter, as it does not to Flyway.
     */
    public static boolean current(boolean postgres, Collection<String> applied, Collection<String> failed) {
        return failed.isEmpty() && applied.containsAll(expected(postgres));
    }
}
