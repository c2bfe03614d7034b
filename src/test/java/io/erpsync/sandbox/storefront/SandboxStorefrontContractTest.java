package io.erpsync.sandbox.storefront;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.core.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The storefront sandbox against docs/commerce-contract.md, one behaviour at a time, over real HTTP. */
class SandboxStorefrontContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORD = "/inventory_lists/inventory_m1/product_inventory_records/";

    SandboxStorefront sf;
    final HttpClient http = HttpClient.newHttpClient();
    String token;

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxStorefront(new SandboxStorefront.Config()).start();
        for (int i = 1; i <= 5; i++) {
            sf.addRecord("inventory_m1", "ITM-" + i, 100);
        }
        sf.addBundledProduct("KIT-1", "COMP-1", 2);
        sf.addBundledProduct("KIT-1", "COMP-2", 3);
        sf.addBundledProduct("KIT-2", "COMP-1", 4);
        token = token("erp-sync", "sandbox").path("access_token").asText();
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    JsonNode token(String id, String secret) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + SandboxStorefront.TOKEN_PATH))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).deepCopy();
    }

    HttpResponse<String> data(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sf.baseUrl() + SandboxStorefront.DATA_ROOT + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String fault(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("fault").path("type").asText();
    }

    String state(String product) throws Exception {
        return JSON.readTree(data("GET", RECORD + product, null).body()).path("_resource_state").asText();
    }

    static String patch(String state, long amount) {
        return "{\"_resource_state\":\"" + state + "\",\"allocation\":{\"amount\":" + amount + "}}";
    }

    /** Sends a batch of (method, path, body) parts with content ids p0, p1, ...; the answer's parts by content id. */
    Map<String, Multipart.Part> batch(List<String[]> parts) throws Exception {
        HttpResponse<String> r = batchCall(parts);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Multipart.Part> out = new HashMap<>();
        for (Multipart.Part p : Multipart.read(r.headers().firstValue("Content-Type").orElseThrow(), r.body()).parts()) {
            out.put(p.header("x-dw-content-id"), p);
        }
        return out;
    }

    HttpResponse<String> batchCall(List<String[]> parts) throws Exception {
        List<Multipart.Part> request = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-dw-content-id", "p" + i);
            h.put("x-dw-http-method", parts.get(i)[0]);
            h.put("x-dw-resource-path", parts.get(i)[1]);
            h.put("Content-Type", "application/json");
            request.add(new Multipart.Part(h, parts.get(i)[2]));
        }
        Multipart m = Multipart.of(request);
        return http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + SandboxStorefront.BATCH_PATH))
                .header("Authorization", "Bearer " + token).header("Content-Type", m.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(m.text())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int status(Multipart.Part p) {
        return Integer.parseInt(p.header("x-dw-status-code"));
    }

    static String faultOf(Multipart.Part p) throws Exception {
        return JSON.readTree(p.body()).path("fault").path("type").asText();
    }

    @Test
    void a_client_gets_a_token_with_its_credentials_and_a_revoked_token_is_refused() throws Exception {
        assertEquals("invalid_client", token("erp-sync", "wrong").path("error").asText());
        assertEquals(200, data("GET", RECORD + "ITM-1", null).statusCode());
        sf.revokeTokens();
        HttpResponse<String> r = data("GET", RECORD + "ITM-1", null);
        assertEquals(401, r.statusCode());
        assertEquals("InvalidAccessTokenException", fault(r));
        assertEquals(2, sf.log().tokenRequests());
    }

    @Test
    void a_write_with_the_current_state_lands_and_a_stale_state_is_a_resource_state_conflict() throws Exception {
        String state = state("ITM-1");
        HttpResponse<String> ok = data("PATCH", RECORD + "ITM-1", patch(state, 150));
        assertEquals(200, ok.statusCode());
        JsonNode after = JSON.readTree(ok.body());
        assertEquals(150, after.path("allocation").path("amount").asLong());
        assertNotEquals(state, after.path("_resource_state").asText());

        HttpResponse<String> stale = data("PATCH", RECORD + "ITM-1", patch(state, 170));
        assertEquals(409, stale.statusCode());
        assertEquals("ResourceStateConflictException", fault(stale));
        assertEquals(150, sf.amount("inventory_m1", "ITM-1"));
    }

    @Test
    void an_order_changes_the_state_and_the_available_to_sell() throws Exception {
        String state = state("ITM-2");
        sf.placeOrder("inventory_m1", "ITM-2", 7);
        JsonNode now = JSON.readTree(data("GET", RECORD + "ITM-2", null).body());
        assertNotEquals(state, now.path("_resource_state").asText());
        assertEquals(93, now.path("ats").asLong());
        assertEquals("ResourceStateConflictException", fault(data("PATCH", RECORD + "ITM-2", patch(state, 120))));
    }

    @Test
    void orders_and_a_merchant_keep_changing_states_but_never_the_amount_we_own() throws Exception {
        String before = state("ITM-4");
        sf.placeOrdersEvery(20, 1.0, 7);
        sf.editOtherFieldsEvery(20, 1.0, 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(data("GET", RECORD + "ITM-4", null).body()).path("ats").asLong() < 98);
        JsonNode now = JSON.readTree(data("GET", RECORD + "ITM-4", null).body());
        assertNotEquals(before, now.path("_resource_state").asText());
        assertEquals(100, now.path("allocation").path("amount").asLong());
        assertTrue(now.path("perpetual_flag").asBoolean());
        assertEquals("ResourceStateConflictException", fault(data("PATCH", RECORD + "ITM-4", patch(before, 120))));
    }

    @Test
    void a_busy_record_answers_concurrent_modification_naming_its_job_until_released() throws Exception {
        sf.holdRecord("inventory_m1", "ITM-3", "InventoryImportJob");
        HttpResponse<String> busy = data("PATCH", RECORD + "ITM-3", patch(state("ITM-3"), 120));
        assertEquals(409, busy.statusCode());
        assertEquals("ConcurrentModificationException", fault(busy));
        assertEquals("InventoryImportJob", JSON.readTree(busy.body()).path("fault").path("arguments").path("holder").asText());
        sf.releaseRecord("inventory_m1", "ITM-3");
        assertEquals(200, data("PATCH", RECORD + "ITM-3", patch(state("ITM-3"), 120)).statusCode());
    }

    @Test
    void unknown_records_lists_and_bad_amounts_are_refused_by_their_fault_type() throws Exception {
        assertEquals("ProductInventoryRecordNotFoundException", fault(data("GET", RECORD + "NOPE", null)));
        assertEquals("InventoryListNotFoundException", fault(data("GET", "/inventory_lists/x/product_inventory_records/ITM-1", null)));
        HttpResponse<String> bad = data("PATCH", RECORD + "ITM-1", patch(state("ITM-1"), -1));
        assertEquals(400, bad.statusCode());
        assertEquals("PropertyConstraintViolationException", fault(bad));
    }

    @Test
    void batch_parts_are_independent_and_answered_by_content_id() throws Exception {
        Map<String, Multipart.Part> answer = batch(List.of(
                new String[] {"PATCH", RECORD + "ITM-1", patch(state("ITM-1"), 11)},
                new String[] {"PATCH", RECORD + "NOPE", patch("x", 12)},
                new String[] {"PATCH", RECORD + "ITM-2", patch("stale", 13)},
                new String[] {"GET", RECORD + "ITM-4", null}));
        assertEquals(200, status(answer.get("p0")));
        assertEquals("ProductInventoryRecordNotFoundException", faultOf(answer.get("p1")));
        assertEquals("ResourceStateConflictException", faultOf(answer.get("p2")));
        assertEquals(100, JSON.readTree(answer.get("p3").body()).path("allocation").path("amount").asLong());
        // the first part landed although two others failed
        assertEquals(11, sf.amount("inventory_m1", "ITM-1"));
        StorefrontLog.Entry logged = sf.log().entries().get(sf.log().entries().size() - 1);
        assertTrue(logged.isBatch());
        assertEquals(4, logged.parts().size());
    }

    @Test
    void a_batch_of_more_than_fifty_parts_is_refused() throws Exception {
        List<String[]> parts = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            parts.add(new String[] {"GET", RECORD + "ITM-1", null});
        }
        assertEquals(413, batchCall(parts).statusCode());
    }

    @Test
    void two_parts_touching_one_parent_product_fail_each_other_and_other_parents_go_in_parallel() throws Exception {
        Map<String, Multipart.Part> answer = batch(List.of(
                new String[] {"PATCH", "/products/KIT-1/bundled_products/COMP-1", "{\"quantity\":5}"},
                new String[] {"PATCH", "/products/KIT-1/bundled_products/COMP-2", "{\"quantity\":6}"},
                new String[] {"PATCH", "/products/KIT-2/bundled_products/COMP-1", "{\"quantity\":7}"}));
        assertEquals(200, status(answer.get("p0")));
        assertEquals("ConcurrentModificationException", faultOf(answer.get("p1")));
        assertEquals(200, status(answer.get("p2")));
        assertEquals(1, sf.log().collisions());
    }

    @Test
    void a_write_to_a_parent_in_flight_fails_another_request_touching_it() throws Exception {
        sf.writeMillis(400);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> call(() ->
                data("PATCH", "/products/KIT-1/bundled_products/COMP-1", "{\"quantity\":5}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> sf.log().writesWithoutState() >= 1);
        // the first write is under way (counted when it took its parent), and holds the parent 400 ms
        HttpResponse<String> second = data("PATCH", "/products/KIT-1/bundled_products/COMP-2", "{\"quantity\":6}");
        assertEquals(200, first.get().statusCode());
        assertEquals("ConcurrentModificationException", fault(second));
        assertEquals(1, sf.log().collisions());
    }

    @Test
    void throttling_answers_429_with_retry_after_and_load_shedding_503_with_sfdc_load() throws Exception {
        sf.throttleNext(1, "3");
        HttpResponse<String> limited = data("GET", RECORD + "ITM-1", null);
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("Retry-After").orElseThrow());
        sf.load(85);
        HttpResponse<String> warned = data("GET", RECORD + "ITM-1", null);
        assertEquals(200, warned.statusCode());
        assertEquals("WARN", warned.headers().firstValue("sfdc_load_status").orElseThrow());
        sf.load(95);
        HttpResponse<String> shed = data("GET", RECORD + "ITM-1", null);
        assertEquals(503, shed.statusCode());
        assertEquals("THROTTLE", shed.headers().firstValue("sfdc_load_status").orElseThrow());
        assertEquals("95", shed.headers().firstValue("sfdc_load").orElseThrow());
    }

    @Test
    void the_log_counts_puts_writes_without_state_and_foreign_fields() throws Exception {
        data("PUT", RECORD + "ITM-5", "{\"allocation\":{\"amount\":1}}");
        data("PATCH", RECORD + "ITM-5", "{\"_resource_state\":\"" + state("ITM-5") + "\",\"allocation\":{\"amount\":2},\"perpetual_flag\":true}");
        assertEquals(1, sf.log().puts());
        assertEquals(1, sf.log().writesWithoutState());
        assertEquals(1, sf.log().foreignFields());
    }

    interface Call {
        HttpResponse<String> run() throws Exception;
    }

    static HttpResponse<String> call(Call c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
