package io.erpsync.target.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.FailureClass;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.StateReads;
import io.erpsync.target.Target;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.VersionedWrite;
import io.erpsync.wms.StockLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storefront target through the seam's interfaces against the storefront sandbox over real HTTP:
 * what the records end with and what the client sent, counted by the sandbox.
 */
class StorefrontTargetSandboxTest {
    static final int ITEMS = 60;

    SandboxStorefront sf;
    final Target target = Storefront.target(new InventoryLists(Map.of("M1", "inventory_m1")), Map.of());
    final AccessTokens tokens = new AccessTokens(AccessTokens.TOKEN_PATH, "erp-sync", "sandbox");
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxStorefront(new SandboxStorefront.Config()).start();
        for (int i = 0; i < ITEMS; i++) {
            sf.addRecord("inventory_m1", "ITM-" + i, 100);
        }
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    TargetAnswer send(TargetRequest r) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sf.baseUrl() + r.path() + (r.query() == null ? "" : "?" + r.query())));
            r.headers().forEach(b::header);
            if (r.contentType() != null) {
                b.header("Content-Type", r.contentType());
            }
            b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
            HttpResponse<String> a = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> kept = new HashMap<>();
            a.headers().firstValue("Content-Type").ifPresent(v -> kept.put("Content-Type", v));
            a.headers().firstValue("Retry-After").ifPresent(v -> kept.put("Retry-After", v));
            return new TargetAnswer(a.statusCode(), a.body(), kept);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    TargetAnswer call(TargetRequest r) {
        return tokens.call(r, this::send);
    }

    List<StockLevel> levels(int from, int to, int quantity) {
        List<StockLevel> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new StockLevel("ITM-" + i, "M1", BigDecimal.valueOf(quantity), null, "S", i));
        }
        return out;
    }

    Map<String, ItemState> read(List<StockLevel> levels) {
        StateReads.StateRead read = target.reads().read(call(target.reads().request(levels)));
        return read.found();
    }

    /** Writes each level over the state read; part ids are the item keys. */
    BatchOutcome write(List<StockLevel> levels, Map<String, ItemState> states) {
        List<VersionedWrite> parts = new ArrayList<>();
        for (StockLevel l : levels) {
            ItemState s = states.get(l.key());
            parts.add(new VersionedWrite(l.key(), s.ref(), s.version(), l.quantity()));
        }
        Set<String> ids = new LinkedHashSet<>();
        parts.forEach(p -> ids.add(p.partId()));
        return target.writes().outcome(call(target.writes().request(parts)), ids);
    }

    @Test
    void a_batch_of_records_lands_with_one_read_and_one_write_batch_and_nothing_but_the_amount() {
        List<StockLevel> levels = levels(0, 49, 150);
        levels.add(new StockLevel("NOT-THERE", "M1", BigDecimal.ONE, null, "S", 99));
        Map<String, ItemState> states = read(levels);
        assertEquals(49, states.size());
        BatchOutcome o = write(levels.subList(0, 49), states);
        assertEquals(49, o.updated().size());
        for (int i = 0; i < 49; i++) {
            assertEquals(150, sf.amount("inventory_m1", "ITM-" + i));
        }
        assertEquals(100, sf.amount("inventory_m1", "ITM-49"));
        assertEquals(2, sf.log().count(e -> e.isBatch()));
        assertEquals(1, sf.log().tokenRequests());
        assertEquals(0, sf.log().puts());
        assertEquals(0, sf.log().writesWithoutState());
        assertEquals(0, sf.log().foreignFields());
    }

    @Test
    void an_order_between_read_and_write_is_stale_and_lands_after_reading_again() {
        List<StockLevel> levels = levels(0, 3, 120);
        Map<String, ItemState> states = read(levels);
        sf.placeOrder("inventory_m1", "ITM-1", 4);
        BatchOutcome o = write(levels, states);
        assertEquals(Set.of("ITM-0|M1", "ITM-2|M1"), o.updated());
        assertEquals(FailureClass.STALE_ETAG, o.failed().get("ITM-1|M1").failureClass());
        assertEquals(Set.of("ITM-1|M1"), o.failed().keySet());
        assertEquals(100, sf.amount("inventory_m1", "ITM-1"));

        BatchOutcome again = write(levels.subList(1, 2), read(levels.subList(1, 2)));
        assertEquals(Set.of("ITM-1|M1"), again.updated());
        assertEquals(120, sf.amount("inventory_m1", "ITM-1"));
    }

    @Test
    void a_busy_record_fails_alone_naming_its_job_and_the_others_land() {
        sf.holdRecord("inventory_m1", "ITM-2", "InventoryImportJob");
        List<StockLevel> levels = levels(0, 4, 130);
        BatchOutcome o = write(levels, read(levels));
        assertEquals(3, o.updated().size());
        assertEquals(FailureClass.RECORD_LOCKED, o.failed().get("ITM-2|M1").failureClass());
        assertEquals("InventoryImportJob", o.failed().get("ITM-2|M1").holder());
        assertTrue(o.rolledBack().isEmpty());
        assertEquals(130, sf.amount("inventory_m1", "ITM-3"));
        assertEquals(100, sf.amount("inventory_m1", "ITM-2"));
    }

    @Test
    void a_token_revoked_mid_cycle_costs_one_token_request() {
        List<StockLevel> levels = levels(0, 10, 140);
        Map<String, ItemState> states = read(levels);
        sf.revokeTokens();
        BatchOutcome o = write(levels, states);
        assertEquals(10, o.updated().size());
        assertEquals(2, sf.log().tokenRequests());
        assertEquals(140, sf.amount("inventory_m1", "ITM-9"));
    }

    @Test
    void a_throttled_batch_is_a_throttled_refusal_with_its_retry_after() {
        sf.throttleNext(1, "7");
        TargetAnswer a = call(target.reads().request(levels(0, 2, 1)));
        var failure = target.answers().refused(a.status(), a.body(), a.retryAfter());
        assertEquals(FailureClass.THROTTLED, failure.failureClass());
        assertEquals("7", failure.retryAfter());
    }
}
