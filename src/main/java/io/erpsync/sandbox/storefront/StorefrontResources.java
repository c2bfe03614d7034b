package io.erpsync.sandbox.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One data request as the contract answers it (sections 3 and 5), whether it came alone or as a
 * batch part: the path relative to the data root, the method and the body; the answer a status and
 * a record or fault. Which object a write touches ({@link #touched}) is the server's to serialise.
 */
final class StorefrontResources {
    private static final Pattern RECORD = Pattern.compile("/inventory_lists/([^/]+)/product_inventory_records/([^/?]+)");
    private static final Pattern BUNDLE = Pattern.compile("/products/([^/]+)/bundled_products");
    private static final Pattern BUNDLED = Pattern.compile("/products/([^/]+)/bundled_products/([^/?]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status and JSON body. */
    record Answer(int status, Map<String, Object> body) {
        String faultType() {
            return status >= 400 && body.get("fault") instanceof Map<?, ?> f ? String.valueOf(f.get("type")) : null;
        }
    }

    private final StorefrontObjects objects;
    private final StorefrontLog log;
    private final Clock clock;

    StorefrontResources(StorefrontObjects objects, StorefrontLog log, Clock clock) {
        this.objects = objects;
        this.log = log;
        this.clock = clock;
    }

    static Answer fault(int status, String type, String message, Map<String, Object> arguments) {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("type", type);
        fault.put("message", message);
        fault.put("arguments", arguments);
        return new Answer(status, Map.of("_v", StorefrontObjects.VERSION, "_type", "fault", "fault", fault));
    }

    /**
     * The object a write to this path touches: the record itself, or a bundled product's parent
     * product (section 5); null for reads and unknown paths.
     */
    static String touched(String method, String path) {
        if (method.equals("GET")) {
            return null;
        }
        Matcher b = BUNDLED.matcher(path);
        if (b.matches()) {
            return "product:" + segment(b, 1);
        }
        Matcher r = RECORD.matcher(path);
        return r.matches() ? "record:" + segment(r, 1) + "/" + segment(r, 2) : null;
    }

    /** The parent product (the bundle) a request to a bundled product reads or writes; null for other paths. */
    static String parentOf(String path) {
        Matcher b = BUNDLED.matcher(path);
        return b.matches() ? segment(b, 1) : null;
    }

    /**
     * A path segment as the client meant it: paths are matched undecoded, so that an id holding an
     * escaped slash stays one segment, and each id is decoded on its own ('+' is itself in a path).
     */
    private static String segment(Matcher m, int group) {
        return URLDecoder.decode(m.group(group).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Answers the request; a write's object (touched) must already be begun by the caller. */
    Answer answer(String method, String path, String body) {
        Matcher r = RECORD.matcher(path);
        if (r.matches()) {
            return record(method, segment(r, 1), segment(r, 2), body);
        }
        Matcher bd = BUNDLED.matcher(path);
        if (bd.matches()) {
            return bundled(method, segment(bd, 1), segment(bd, 2), body);
        }
        Matcher b = BUNDLE.matcher(path);
        if (b.matches() && method.equals("GET")) {
            Map<String, StorefrontObjects.Entry> bundle = objects.bundle(segment(b, 1));
            return bundle == null ? fault(404, "ProductNotFoundException", "No product " + segment(b, 1), Map.of())
                    : new Answer(200, objects.bundleJson(bundle));
        }
        return fault(404, "ResourcePathNotFoundException", "No resource " + method + " " + path, Map.of());
    }

    private Answer record(String method, String listId, String productId, String body) {
        if (!objects.hasList(listId)) {
            return fault(404, "InventoryListNotFoundException", "No inventory list " + listId, Map.of("listId", listId));
        }
        StorefrontObjects.Entry e = objects.record(listId, productId);
        if (e == null) {
            return fault(404, "ProductInventoryRecordNotFoundException", "No record for product " + productId + " in list " + listId,
                    Map.of("productId", productId));
        }
        if (method.equals("GET")) {
            synchronized (e) {
                return new Answer(200, objects.recordJson(productId, e));
            }
        }
        Answer refused = refusedWrite(method, "record:" + listId + "/" + productId, e, body, "allocation");
        if (refused != null) {
            return refused;
        }
        JsonNode doc = parse(body);
        JsonNode amount = doc.path("allocation").path("amount");
        if (!amount.isIntegralNumber() || amount.asLong() < 0) {
            return fault(400, "PropertyConstraintViolationException", "allocation.amount must be a number >= 0, was " + amount,
                    Map.of("property", "allocation.amount"));
        }
        synchronized (e) {
            Answer stale = staleState(body, e);
            if (stale != null) {
                return stale;
            }
            if (method.equals("PUT")) {
                // a PUT replaces the whole record: what it does not name is cleared (the contract's reason never to send it)
                e.others.clear();
                e.turnover = 0;
            }
            e.amount = amount.asLong();
            e.resetDate = clock.instant().toString();
            e.state = objects.nextState();
            return new Answer(200, objects.recordJson(productId, e));
        }
    }

    private Answer bundled(String method, String bundleId, String productId, String body) {
        Map<String, StorefrontObjects.Entry> bundle = objects.bundle(bundleId);
        if (bundle == null) {
            return fault(404, "ProductNotFoundException", "No product " + bundleId, Map.of());
        }
        StorefrontObjects.Entry e = bundle.get(productId);
        if (e == null) {
            return fault(404, "BundledProductNotFoundException", "No bundled product " + productId + " in " + bundleId, Map.of());
        }
        if (method.equals("GET")) {
            synchronized (e) {
                return new Answer(200, objects.bundledJson(productId, e));
            }
        }
        Answer refused = refusedWrite(method, "product:" + bundleId, e, body, "quantity");
        if (refused != null) {
            return refused;
        }
        JsonNode quantity = parse(body).path("quantity");
        if (!quantity.isNumber() || quantity.asDouble() < 0) {
            return fault(400, "PropertyConstraintViolationException", "quantity must be a number >= 0, was " + quantity,
                    Map.of("property", "quantity"));
        }
        synchronized (e) {
            Answer stale = staleState(body, e);
            if (stale != null) {
                return stale;
            }
            e.amount = quantity.asLong();
            e.state = objects.nextState();
            objects.changed(bundleId, productId, "quantity", e.amount, "client");
            return new Answer(200, objects.bundledJson(productId, e));
        }
    }

    /** The refusals every write shares before its values are looked at: a wrong method, a body that does not parse, a busy object. */
    private Answer refusedWrite(String method, String object, StorefrontObjects.Entry e, String body, String owned) {
        if (!method.equals("PATCH") && !method.equals("PUT")) {
            return fault(405, "MethodNotAllowedException", method + " not allowed here", Map.of());
        }
        JsonNode doc = parse(body);
        if (doc == null || !doc.isObject()) {
            return fault(400, "InvalidRequestException", "The body is not a JSON document", Map.of());
        }
        log.write(method, doc, owned);
        String job = objects.holder(object);
        if (job != null) {
            return fault(409, "ConcurrentModificationException", "The object " + object + " is being modified by " + job,
                    Map.of("holder", job));
        }
        return null;
    }

    /** A write whose state is not the current one; called holding the entry, so that no order slips in before the write applies. */
    private static Answer staleState(String body, StorefrontObjects.Entry e) {
        JsonNode state = parse(body).get("_resource_state");
        if (state != null && !state.asText().equals(e.state)) {
            return fault(409, "ResourceStateConflictException", "The resource state " + state.asText() + " is not the current one",
                    Map.of("resourceState", e.state));
        }
        return null;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
