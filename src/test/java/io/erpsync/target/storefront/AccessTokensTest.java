package io.erpsync.target.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The storefront's token (contract section 1) against recorded answers. */
class AccessTokensTest {
    static final TargetRequest READ = new TargetRequest("POST", "/s/-/dw/batch", null, "multipart/mixed; boundary=b", "--b--", Map.of(), Set.of());
    static final String REVOKED = "{\"fault\":{\"type\":\"InvalidAccessTokenException\",\"message\":\"revoked\"}}";

    final List<TargetRequest> sent = new ArrayList<>();
    final AccessTokens tokens = new AccessTokens(AccessTokens.TOKEN_PATH, "erp-sync", "sandbox");

    /** A storefront that issues token t1, t2, ... and accepts only the tokens in valid. */
    Function<TargetRequest, TargetAnswer> storefront(Set<String> valid) {
        int[] issued = {0};
        return r -> {
            sent.add(r);
            if (r.path().equals(AccessTokens.TOKEN_PATH)) {
                return new TargetAnswer(200, "{\"access_token\":\"t" + (++issued[0]) + "\",\"token_type\":\"Bearer\",\"expires_in\":1799}");
            }
            return valid.contains(r.headers().get("Authorization")) ? new TargetAnswer(200, "ok") : new TargetAnswer(401, REVOKED);
        };
    }

    long tokenRequests() {
        return sent.stream().filter(r -> r.path().equals(AccessTokens.TOKEN_PATH)).count();
    }

    @Test
    void one_token_serves_every_call_with_the_client_credentials() {
        var transport = storefront(Set.of("Bearer t1"));
        assertEquals(200, tokens.call(READ, transport).status());
        assertEquals(200, tokens.call(READ, transport).status());
        assertEquals(1, tokenRequests());
        assertEquals("Basic ZXJwLXN5bmM6c2FuZGJveA==", sent.get(0).headers().get("Authorization"));
        assertEquals("grant_type=client_credentials", sent.get(0).body());
    }

    @Test
    void a_revoked_token_costs_one_token_request_and_the_call_once_more() {
        var transport = storefront(Set.of("Bearer t2"));
        assertEquals(200, tokens.call(READ, transport).status());
        assertEquals(2, tokenRequests());
        assertEquals(3 + 1, sent.size());
        assertTrue(sent.get(3).headers().get("Authorization").equals("Bearer t2"));
    }

    @Test
    void a_second_refusal_fails_loudly() {
        var transport = storefront(Set.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tokens.call(READ, transport));
        assertTrue(e.getMessage().contains("storefront.client-id"), e.getMessage());
        assertEquals(2, tokenRequests());
    }

    @Test
    void a_refused_client_fails_loudly_without_calling() {
        Function<TargetRequest, TargetAnswer> refusing = r -> {
            sent.add(r);
            return new TargetAnswer(401, "{\"error\":\"invalid_client\"}");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tokens.call(READ, refusing));
        assertTrue(e.getMessage().contains("invalid_client"), e.getMessage());
        assertEquals(1, sent.size());
    }

    @Test
    void a_throttled_or_failing_token_endpoint_fails_only_the_call_for_the_error_policy_to_retry() {
        for (int status : new int[] {429, 503, 500}) {
            sent.clear();
            Function<TargetRequest, TargetAnswer> busy = r -> {
                sent.add(r);
                return new TargetAnswer(status, "{\"error\":\"temporarily_unavailable\"}");
            };
            AccessTokens.Unavailable e = assertThrows(AccessTokens.Unavailable.class, () -> tokens.call(READ, busy));
            assertEquals(status, e.answer().status());
            assertEquals(AccessTokens.TOKEN_PATH, e.path(), "the endpoint as configured");
            assertEquals(1, sent.size(), "only the token request went out");
        }
        assertEquals(200, tokens.call(READ, storefront(Set.of("Bearer t1"))).status(), "the next call takes its token");
    }
}
