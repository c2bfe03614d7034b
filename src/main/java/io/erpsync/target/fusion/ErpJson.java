package io.erpsync.target.fusion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.core.Texts;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.PartFailure;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the contract's JSON; anything that does not fit becomes an {@link UnreadableAnswer}.
 * Every body sent to the ERP is written here, with plain decimals (10, never 1E+1: a stripped
 * BigDecimal would otherwise go out in exponent form).
 */
public final class ErpJson {
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private ErpJson() {
    }

    /**
     * A page of a collection read: the items with their ETags, whether more pages follow, and the keys
     * (ItemNumber|OrganizationCode) of items that came without an ETag (asked for with fields=).
     */
    public record Page(List<ItemState> items, boolean hasMore, List<String> withoutEtag) {
    }

    // The contract's JSON as far as the runtime reads it; every other field is skipped while parsing,
    // which is what keeps a 500-item read cheap (the ERP may return many more fields, contract 2).
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LinkJson(String rel, Map<String, Object> properties) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ItemJson(@JsonProperty("ItemId") Long itemId, @JsonProperty("ItemNumber") String itemNumber,
                    @JsonProperty("OrganizationCode") String organizationCode, @JsonProperty("OnhandQuantity") JsonNode onhandQuantity,
                    List<LinkJson> links) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CollectionJson(List<ItemJson> items, Boolean hasMore) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PartExceptionJson(JsonNode status, String title, String detail) {
    }

    record PartJson(String id, Boolean preconditionSucceeded, ItemJson payload, PartExceptionJson exception) {
    }

    /** A collection read (contract 2.1). */
    public static Page items(TargetAnswer answer) {
        CollectionJson page = collection(answer);
        if (page.items() == null) {
            throw new UnreadableAnswer("the items collection has no items array", answer.status(), answer.body());
        }
        List<ItemState> out = new ArrayList<>(page.items().size());
        List<String> withoutEtag = new ArrayList<>();
        for (ItemJson item : page.items()) {
            if (item == null || item.itemId() == null || item.itemNumber() == null) {
                throw new UnreadableAnswer("an item without ItemId or ItemNumber: " + Texts.cut(String.valueOf(item)), answer.status(),
                        answer.body());
            }
            ItemState s = snapshotOrNull(item);
            if (s == null) {
                withoutEtag.add(item.itemNumber() + "|" + item.organizationCode());
            } else {
                out.add(s);
            }
        }
        return new Page(out, Boolean.TRUE.equals(page.hasMore()), withoutEtag);
    }

    /** The item as the runtime reads it; null when it lacks its id, number or ETag (changeIndicator of the self link). */
    private static ItemState snapshotOrNull(ItemJson item) {
        if (item == null || item.itemId() == null || item.itemNumber() == null) {
            return null;
        }
        String ci = null;
        for (LinkJson link : item.links() == null ? List.<LinkJson>of() : item.links()) {
            if (link != null && "self".equals(link.rel()) && link.properties() != null && link.properties().get("changeIndicator") != null) {
                ci = String.valueOf(link.properties().get("changeIndicator"));
                break;
            }
        }
        if (ci == null) {
            return null;
        }
        JsonNode q = item.onhandQuantity();
        BigDecimal onhand = q == null || !q.isNumber() ? null : q.decimalValue();
        return new ItemState(String.valueOf(item.itemId()), item.itemNumber(), item.organizationCode(), onhand, ci);
    }

    /** The batch body (contract 3): update parts carrying only OnhandQuantity, each with ifMatch. */
    public static String batchBody(List<VersionedWrite> updates) {
        // why: written token by token, not bound from records and maps: one per write request, 100 parts each (JFR, bench/RESULTS.md)
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(112 * updates.size() + 16);
        try (JsonGenerator g = JSON.createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("parts");
            for (VersionedWrite u : updates) {
                g.writeStartObject();
                g.writeStringField("id", u.partId());
                g.writeStringField("path", "/items/" + u.ref());
                g.writeStringField("operation", "update");
                g.writeStringField("ifMatch", u.version());
                g.writeObjectFieldStart("payload");
                g.writeFieldName("OnhandQuantity");
                if (u.quantity() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(u.quantity());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing an ERP batch body", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A request body for the ERP: the one writer configuration of every ERP body. */
    public static String body(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing an ERP request body", e);
        }
    }

    /**
     * The batch answer: 200 with every part, or 400 listing only the failed parts; null when a 400
     * lists no parts (the ERP refused the whole batch).
     */
    public static BatchOutcome batchOutcome(TargetAnswer answer, Set<String> sentPartIds) {
        List<PartJson> parts = batchParts(answer);
        if (answer.status() == 200) {
            if (parts == null) {
                throw new UnreadableAnswer("a batch answer without parts", answer.status(), answer.body());
            }
            Set<String> updated = new LinkedHashSet<>();
            Map<String, ItemState> stale = new LinkedHashMap<>();
            Set<String> unknown = new LinkedHashSet<>();
            for (PartJson p : parts) {
                String id = p == null ? null : p.id();
                if (id == null || !sentPartIds.contains(id)) {
                    unknown.add(String.valueOf(id));
                } else if (p.preconditionSucceeded() == null || p.preconditionSucceeded()) {
                    updated.add(id);
                } else {
                    // the current item a skipped part carries; without a usable one the item is read again
                    stale.put(id, snapshotOrNull(p.payload()));
                }
            }
            Set<String> unanswered = new LinkedHashSet<>(sentPartIds);
            unanswered.removeAll(updated);
            unanswered.removeAll(stale.keySet());
            return BatchOutcome.applied(updated, stale, unanswered, unknown);
        }
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        Map<String, PartFailure> failed = new LinkedHashMap<>();
        for (PartJson p : parts) {
            String id = p == null ? null : p.id();
            if (id == null || !sentPartIds.contains(id) || p.exception() == null) {
                throw new UnreadableAnswer("a failed batch part without a known id or an exception", answer.status(), answer.body());
            }
            PartExceptionJson ex = p.exception();
            int status = ex.status() != null && ex.status().canConvertToInt() ? ex.status().asInt()
                    : ex.status() != null && ex.status().isTextual() ? parseIntOr(ex.status().asText(), answer.status()) : answer.status();
            failed.put(id, FailureClassifier.part(status, ex.title() == null ? "" : ex.title(), ex.detail() == null ? "" : ex.detail()));
        }
        return BatchOutcome.rolledBack(failed, sentPartIds);
    }

    /**
     * The parts of a batch answer, read as a stream: a part's payload (the whole item after the update)
     * is only kept where the part was skipped for a stale ifMatch, the one case it is needed.
     */
    private static List<PartJson> batchParts(TargetAnswer answer) {
        String body = answer.body() == null ? "" : answer.body().trim();
        if (!body.startsWith("{")) {
            throw new UnreadableAnswer("the batch answer is not JSON (not an object)", answer.status(), answer.body());
        }
        // why: from the bytes, not the String: a String is parsed through a Reader, each char widened (JFR, bench/RESULTS.md)
        try (JsonParser p = JSON.createParser(body.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            List<PartJson> parts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("parts".equals(field) && value == JsonToken.START_ARRAY) {
                    parts = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        parts.add(part(p));
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw new UnreadableAnswer("the batch answer is cut short (its parts do not end)", answer.status(), answer.body());
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new UnreadableAnswer("the batch answer is cut short", answer.status(), answer.body());
            }
            return parts;
        } catch (IOException e) {
            throw new UnreadableAnswer("the batch answer does not fit the contract: " + e.getMessage(), answer.status(), answer.body());
        }
    }

    private static PartJson part(JsonParser p) throws IOException {
        String id = null;
        Boolean precondition = null;
        ItemJson payload = null;
        PartExceptionJson exception = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                case "preconditionSucceeded" -> precondition = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                        : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                case "payload" -> {
                    if (Boolean.TRUE.equals(precondition) || value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                    } else {
                        payload = JSON.readValue(p, ItemJson.class);
                    }
                }
                case "exception" -> exception = value == JsonToken.START_OBJECT ? JSON.readValue(p, PartExceptionJson.class) : null;
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "a part that does not end (the answer is cut short)");
        }
        return new PartJson(id, precondition, payload, exception);
    }

    private static int parseIntOr(String s, int dflt) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * A collection read, read as a stream into the same records databind would make: the common token of
     * each field is taken as it comes, any other is handed to databind for that one value, so every
     * coercion and refusal stays databind's. Why: binding the records was the largest part of a lane's
     * CPU (JFR, bench/RESULTS.md).
     */
    private static CollectionJson collection(TargetAnswer answer) {
        String what = "items collection";
        String body = answer.body() == null ? "" : answer.body().trim();
        if (!body.startsWith("{")) {
            throw new UnreadableAnswer("the " + what + " is not JSON (not an object)", answer.status(), answer.body());
        }
        try (JsonParser p = JSON.createParser(body.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            List<ItemJson> items = null;
            Boolean hasMore = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("items".equals(field)) {
                    if (value == JsonToken.START_ARRAY) {
                        items = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            items.add(t == JsonToken.START_OBJECT ? item(p) : t == JsonToken.VALUE_NULL ? null : JSON.readValue(p, ItemJson.class));
                        }
                    } else {
                        items = JSON.readValue(p, ITEM_LIST);
                    }
                } else if ("hasMore".equals(field)) {
                    hasMore = value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE
                            : JSON.readValue(p, Boolean.class);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "the " + what + " does not end");
            }
            return new CollectionJson(items, hasMore);
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswer("the " + what + " does not fit the contract: " + e.getOriginalMessage(), answer.status(), answer.body());
        } catch (IOException e) {
            throw new UnreadableAnswer("the " + what + " could not be read: " + e.getMessage(), answer.status(), answer.body());
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<List<ItemJson>> ITEM_LIST = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
    private static final com.fasterxml.jackson.core.type.TypeReference<List<LinkJson>> LINK_LIST = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> PROPERTIES = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };

    /** One item of a collection, the parser at its START_OBJECT. */
    private static ItemJson item(JsonParser p) throws IOException {
        Long itemId = null;
        String itemNumber = null;
        String organizationCode = null;
        JsonNode onhand = null;
        List<LinkJson> links = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "ItemId" -> itemId = value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? Long.valueOf(p.getLongValue()) : value == JsonToken.VALUE_NULL ? null : JSON.readValue(p, Long.class);
                case "ItemNumber" -> itemNumber = text(p, value);
                case "OrganizationCode" -> organizationCode = text(p, value);
                case "OnhandQuantity" -> onhand = JSON.readValue(p, JsonNode.class);
                case "links" -> {
                    if (value == JsonToken.START_ARRAY) {
                        links = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            links.add(t == JsonToken.START_OBJECT ? link(p) : t == JsonToken.VALUE_NULL ? null : JSON.readValue(p, LinkJson.class));
                        }
                    } else {
                        links = value == JsonToken.VALUE_NULL ? null : JSON.readValue(p, LINK_LIST);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "an item that does not end (the answer is cut short)");
        }
        return new ItemJson(itemId, itemNumber, organizationCode, onhand, links);
    }

    /** One link of an item, the parser at its START_OBJECT. */
    private static LinkJson link(JsonParser p) throws IOException {
        String rel = null;
        Map<String, Object> properties = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("rel".equals(field)) {
                rel = text(p, value);
            } else if ("properties".equals(field)) {
                if (value == JsonToken.START_OBJECT) {
                    properties = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        properties.put(name, v == JsonToken.VALUE_STRING ? p.getText() : JSON.readValue(p, Object.class));
                    }
                } else {
                    properties = value == JsonToken.VALUE_NULL ? null : JSON.readValue(p, PROPERTIES);
                }
            } else {
                p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "a link that does not end (the answer is cut short)");
        }
        return new LinkJson(rel, properties);
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? p.getText() : value == JsonToken.VALUE_NULL ? null : JSON.readValue(p, String.class);
    }

    /**
     * The ERP's own words from an error body: {"error","detail"}, {"title","detail"}, ADF's
     * o:errorDetails (contract 7), or the text as it came, cut to 2 KB.
     */
    public static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            List<String> parts = new ArrayList<>();
            for (String f : List.of("error", "title")) {
                if (n.hasNonNull(f)) {
                    parts.add(n.get(f).asText());
                }
            }
            if (n.hasNonNull("detail")) {
                parts.add(n.get("detail").asText());
            }
            for (JsonNode d : n.path("o:errorDetails")) {
                parts.add(d.path("detail").asText());
            }
            return parts.isEmpty() ? Texts.cut(body) : Texts.cut(String.join(": ", parts));
        } catch (JsonProcessingException | RuntimeException e) {
            return Texts.cut(body);
        }
    }

    private static JsonNode parse(TargetAnswer answer, String what) {
        try {
            JsonNode n = JSON.readTree(answer.body() == null ? "" : answer.body());
            if (n == null || !n.isObject()) {
                throw new UnreadableAnswer("the " + what + " is not a JSON object", answer.status(), answer.body());
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswer("the " + what + " is not JSON: " + e.getOriginalMessage(), answer.status(), answer.body());
        }
    }

    /** One scheduled process (contract 5) as the gate reads it. */
    public record Job(String name, String state) {
    }

    /** The scheduled-process answer: every job's name and state (the server may ignore q, so the caller filters). */
    public static List<Job> jobs(TargetAnswer answer) {
        JsonNode items = parse(answer, "scheduled-process answer").get("items");
        if (items == null || !items.isArray()) {
            throw new UnreadableAnswer("the scheduled-process answer has no items array", answer.status(), answer.body());
        }
        List<Job> out = new ArrayList<>();
        for (JsonNode job : items) {
            out.add(new Job(job.path("jobDefinitionName").asText(""), job.path("state").asText("")));
        }
        return out;
    }
}
