package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.store.Datasources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

class OurWritesTest {
    HikariDataSource store;
    OurWrites ours;
    final Instant t = Instant.parse("2026-12-04T08:00:00Z");

    @BeforeEach
    void store() {
        store = Datasources.pool("store", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        Datasources.migrate(store);
        ours = new OurWrites(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void what_a_change_wrote_is_read_back_as_text_the_merge_compares_by_field() {
        ours.wrote(1, 11, Map.of("Quantity", new BigDecimal("2.50"), "Notes", "x".repeat(1000)), t);

        Map<String, Object> back = new OurWrites(store).of(1, 11);

        assertEquals(Map.of("Quantity", "2.50", "Notes", "x".repeat(1000)), back, "a note longer than the sandbox's column is kept whole");
        assertEquals(true, BomMerge.same("Quantity", back.get("Quantity"), new BigDecimal("2.5")));
        assertEquals(Map.of(), ours.of(1, 12), "another component has nothing of ours");
    }

    @Test
    void the_newer_record_of_a_field_wins_and_an_older_one_arriving_later_never_replaces_it() {
        ours.wrote(1, 11, Map.of("Quantity", 10), t);
        ours.wrote(1, 11, Map.of("Quantity", 20, "LeadTimeOffset", 3), t.plusSeconds(5));
        // a process that froze and came back records what it wrote before
        ours.wrote(1, 11, Map.of("Quantity", 15), t.plusSeconds(1));

        assertEquals(Map.of("Quantity", "20", "LeadTimeOffset", "3"), ours.of(1, 11));
    }
}
