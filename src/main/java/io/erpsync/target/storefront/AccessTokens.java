package io.erpsync.target.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The storefront's OAuth client-credentials token (contract section 1) around any transport: every
 * call carries the current bearer token; an {@code InvalidAccessTokenException} (expired or revoked
 * early: expires_in is a hint) costs one new token and the call once more, and a second refusal, or a
 * token endpoint that refuses the client, fails loudly (the credentials are wrong for every item). A
 * token endpoint that is throttled or failing (429, 5xx) fails only the call ({@link Unavailable}), which
 * the error policy retries as any other.
 */
public final class AccessTokens {
    public static final String TOKEN_PATH = "/dw/oauth2/access_token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tokenPath;
    private final String basic;
    private String token;

    /** @param tokenPath the token endpoint, relative to the transport's base URL (TOKEN_PATH by default) */
    public AccessTokens(String tokenPath, String clientId, String clientSecret) {
        this.tokenPath = tokenPath;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** The call with the bearer token; the token is taken once more, and the call repeated once, when the storefront refuses it. */
    public TargetAnswer call(TargetRequest request, Function<TargetRequest, TargetAnswer> transport) {
        String used = current(transport);
        TargetAnswer answer = transport.apply(withBearer(request, used));
        if (!refusesToken(answer)) {
            return answer;
        }
        TargetAnswer again = transport.apply(withBearer(request, renew(used, transport)));
        if (refusesToken(again)) {
            throw new ClientRefused("The storefront refused a new access token too (HTTP 401 "
                    + StorefrontFault.of(again.body()).words() + "): check storefront.client-id and its secret");
        }
        return again;
    }

    private static boolean refusesToken(TargetAnswer answer) {
        // the contract's 401 is InvalidAccessTokenException; any 401 is taken as one, so that none reaches the caller unrenewed
        return answer.status() == 401;
    }

    private synchronized String current(Function<TargetRequest, TargetAnswer> transport) {
        if (token == null) {
            token = take(transport);
        }
        return token;
    }

    /** A new token unless another call renewed the refused one already: one refusal, one token request. */
    private synchronized String renew(String refused, Function<TargetRequest, TargetAnswer> transport) {
        if (refused.equals(token)) {
            token = take(transport);
        }
        return token;
    }

    private String take(Function<TargetRequest, TargetAnswer> transport) {
        TargetAnswer answer = transport.apply(new TargetRequest("POST", tokenPath, null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials", Map.of("Authorization", basic), Set.of(401)));
        JsonNode doc;
        try {
            doc = JSON.readTree(answer.body());
        } catch (Exception e) {
            doc = null;
        }
        if (answer.status() == 429 || answer.status() >= 500) {
            throw new Unavailable(tokenPath, answer);
        }
        if (answer.status() != 200 || doc == null || !doc.path("access_token").isTextual()) {
            String why = doc == null ? String.valueOf(answer.body()) : doc.path("error").asText(String.valueOf(answer.body()));
            throw new ClientRefused("The storefront's token endpoint refused the client (HTTP " + answer.status() + " " + why
                    + "): check storefront.client-id and its secret");
        }
        return doc.get("access_token").asText();
    }

    /** The storefront refuses our credentials: nothing item by item can help (the contract: never retried, fails loudly). */
    public static final class ClientRefused extends IllegalStateException {
        public ClientRefused(String message) {
            super(message);
        }
    }

    /** The token endpoint answered 429 or 5xx: come back later, as for any request (its Retry-After kept). */
    public static final class Unavailable extends RuntimeException {
        private final String path;
        private final transient TargetAnswer answer;

        Unavailable(String path, TargetAnswer answer) {
            super("The storefront's token endpoint " + path + " answered HTTP " + answer.status());
            this.path = path;
            this.answer = answer;
        }

        /** The token endpoint as configured (storefront.token-path). */
        public String path() {
            return path;
        }

        public TargetAnswer answer() {
            return answer;
        }
    }

    private static TargetRequest withBearer(TargetRequest r, String bearer) {
        Map<String, String> headers = new HashMap<>(r.headers());
        headers.put("Authorization", "Bearer " + bearer);
        Set<Integer> answered = new HashSet<>(r.answered());
        // a refused token is this class's to answer, not the error policy's
        answered.add(401);
        return new TargetRequest(r.method(), r.path(), r.query(), r.contentType(), r.body(), headers, answered);
    }
}
