package io.erpsync.target.storefront;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.core.FailureClass;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A bundle's bundled product on the storefront (docs/commerce-contract.md section 5): the read of its
 * quantity with its {@code _resource_state}, the PATCH of the quantity alone with that state, and what
 * a refusal means, by {@code fault.type}. A write to a bundled product touches its parent (the bundle).
 */
public final class BundledProducts {
    static final String DATA_ROOT = "/s/-/dw/data/v23_2";
    /** The fault type of a read whose parent product does not exist (the bundle named is no product). */
    public static final String NO_PRODUCT = "ProductNotFoundException";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundledProducts() {
    }

    /** The bundled product's quantity and state as the storefront has them. */
    public record Current(BigDecimal quantity, String state) {
    }

    /** A refused read or write: its class (STALE_ETAG for a stale state, RECORD_LOCKED for a busy parent), words and holder. */
    public record Refusal(FailureClass failureClass, int status, String words, String holder) {
    }

    static String path(String bundleId, String productId) {
        return DATA_ROOT + "/products/" + PathSegment.of(bundleId) + "/bundled_products/" + PathSegment.of(productId);
    }

    public static TargetRequest read(String bundleId, String productId) {
        return new TargetRequest("GET", path(bundleId, productId), null, null, null, Map.of(), Set.of(400, 404));
    }

    /** The quantity, the one field we own, with the state it was read in; nothing else is sent. */
    public static TargetRequest write(String bundleId, String productId, BigDecimal quantity, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("_resource_state", state);
        // why: written out in full (10, not 1E+1 as a stripped BigDecimal prints): the contract's quantity is a plain number
        body.put("quantity", new BigDecimal(quantity.stripTrailingZeros().toPlainString()));
        try {
            return new TargetRequest("PATCH", path(bundleId, productId), null, "application/json", JSON.writeValueAsString(body), Map.of(),
                    Set.of(400, 404, 409));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Current current(TargetAnswer answer) {
        try {
            JsonNode doc = JSON.readTree(answer.body());
            if (doc != null && doc.path("_resource_state").isTextual() && doc.path("quantity").isNumber()) {
                return new Current(doc.get("quantity").decimalValue(), doc.get("_resource_state").asText());
            }
        } catch (Exception unreadable) {
            // reported below
        }
        throw new UnreadableAnswer("a bundled product without its quantity or _resource_state", answer.status(), answer.body());
    }

    public static Refusal refusal(TargetAnswer answer) {
        StorefrontFault f = StorefrontFault.of(answer.body());
        return new Refusal(f.failureClass(answer.status()), answer.status(), f.words(), f.holder());
    }
}
