package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.FailureClass;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.storefront.AccessTokens;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One change's quantity to its bundle against scripted storefront answers: a stale state reads and
 * merges again and writes with the new state, a merchant's value met on the second read is not
 * overwritten, a refusal is parked with the fault's words, a bill without a bundle sends nothing; a
 * busy parent and a throttled call come back to wait off the lane, without waiting here.
 */
class BundleWritesTest {
    final Deque<TargetAnswer> answers = new ArrayDeque<>();
    final List<TargetRequest> sent = new ArrayList<>();
    final Deque<RuntimeException> failures = new ArrayDeque<>();
    final BundleWrites writes = new BundleWrites(Map.of(7L, "bundle-7"), r -> {
        sent.add(r);
        if (!failures.isEmpty()) {
            throw failures.removeFirst();
        }
        return answers.removeFirst();
    }, 3);

    static BomChange change(long bill, int old, int wanted) {
        return new BomChange(1, bill, 70L, null, Map.of("Quantity", new BomChange.Field(BigDecimal.valueOf(old), BigDecimal.valueOf(wanted))),
                "PLM", Instant.parse("2026-05-01T08:00:00Z"), 1);
    }

    static TargetAnswer product(int quantity, String state) {
        return new TargetAnswer(200, "{\"_type\":\"bundled_product\",\"quantity\":" + quantity + ",\"_resource_state\":\"" + state + "\"}");
    }

    static TargetAnswer fault(int status, String type) {
        return new TargetAnswer(status, "{\"fault\":{\"type\":\"" + type + "\",\"message\":\"m\",\"arguments\":{}}}");
    }

    @Test
    void a_stale_state_reads_again_and_writes_with_the_new_state() {
        answers.add(product(2, "s1"));
        answers.add(fault(409, "ResourceStateConflictException"));
        answers.add(product(2, "s2"));
        answers.add(product(5, "s3"));

        assertNull(writes.write(change(7, 2, 5), "ITEM-1"));

        assertEquals(List.of("GET", "PATCH", "GET", "PATCH"), sent.stream().map(TargetRequest::method).toList());
        assertTrue(sent.get(3).body().contains("\"_resource_state\":\"s2\"") && sent.get(3).body().contains("\"quantity\":5"), sent.get(3).body());
        assertTrue(sent.get(3).path().endsWith("/products/bundle-7/bundled_products/ITEM-1"), sent.get(3).path());
    }

    @Test
    void a_merchants_value_met_on_the_second_read_is_not_overwritten() {
        answers.add(product(2, "s1"));
        answers.add(fault(409, "ResourceStateConflictException"));
        answers.add(product(9, "s2"));

        BundleWrites.Parked p = (BundleWrites.Parked) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.CONFLICT, p.failureClass());
        assertTrue(p.reason().contains("theirs 9"), p.reason());
        assertEquals(2, sent.stream().filter(r -> r.method().equals("GET")).count());
        assertEquals(1, sent.stream().filter(r -> r.method().equals("PATCH")).count(), "no write after the merchant's value");
    }

    @Test
    void the_value_already_there_sends_no_write() {
        answers.add(product(5, "s1"));

        assertNull(writes.write(change(7, 2, 5), "ITEM-1"));

        assertEquals(1, sent.size());
    }

    @Test
    void a_missing_bundled_product_is_parked_with_the_faults_words() {
        answers.add(fault(404, "BundledProductNotFoundException"));

        BundleWrites.Parked p = (BundleWrites.Parked) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.REJECTED, p.failureClass());
        assertTrue(p.reason().contains("bundle-7") && p.reason().contains("BundledProductNotFoundException"), p.reason());
    }

    @Test
    void a_bill_without_a_bundle_sends_nothing() {
        assertNull(writes.write(change(8, 2, 5), "ITEM-1"));
        assertEquals(0, sent.size());
    }

    @Test
    void a_busy_parent_comes_back_with_its_holder_after_one_write() {
        answers.add(product(2, "s1"));
        answers.add(new TargetAnswer(409, "{\"fault\":{\"type\":\"ConcurrentModificationException\",\"message\":\"busy\","
                + "\"arguments\":{\"holder\":\"ProductImportJob\"}}}"));

        BundleWrites.Again a = (BundleWrites.Again) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.RECORD_LOCKED, a.failureClass());
        assertEquals("ProductImportJob", a.holder());
        assertEquals(409, a.status());
        assertTrue(a.what().contains("bundle-7") && a.what().contains("ITEM-1"), a.what());
        assertEquals(List.of("GET", "PATCH"), sent.stream().map(TargetRequest::method).toList(), "no lock round waited here");
    }

    @Test
    void a_throttled_call_comes_back_with_its_retry_after() {
        failures.add(new CamelExecutionException("throttled", null, new HttpOperationFailedException("GET", 429, "", null,
                Map.of("Retry-After", "7"), "{\"fault\":{\"type\":\"QuotaExceededException\",\"message\":\"Too many\"}}")));

        BundleWrites.Again a = (BundleWrites.Again) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.THROTTLED, a.failureClass());
        assertEquals(429, a.status());
        assertEquals("7", a.retryAfter());
        assertEquals(1, sent.size());
    }

    @Test
    void a_call_refused_for_good_is_parked_with_its_words() {
        failures.add(new CamelExecutionException("refused", null, new HttpOperationFailedException("GET", 403, "", null, Map.of(),
                "{\"fault\":{\"type\":\"AccessDeniedException\",\"message\":\"no\"}}")));

        BundleWrites.Parked p = (BundleWrites.Parked) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.REJECTED, p.failureClass());
        assertTrue(p.reason().contains("AccessDeniedException") && p.reason().contains("bundle-7"), p.reason());
    }

    @Test
    void a_storefront_refusing_our_credentials_parks_the_bundle_write_at_once_naming_the_setting() {
        failures.add(new CamelExecutionException("refused", null, new AccessTokens.ClientRefused(
                "The storefront's token endpoint refused the client (HTTP 401 invalid_client): check storefront.client-id and its secret")));

        BundleWrites.Parked p = (BundleWrites.Parked) writes.write(change(7, 2, 5), "ITEM-1");

        assertEquals(FailureClass.REJECTED, p.failureClass(), "no rounds: a refused client is refused every time");
        assertTrue(p.reason().contains("storefront.client-id") && p.reason().contains("bundle-7"), p.reason());
        assertEquals(1, sent.size());
    }
}
