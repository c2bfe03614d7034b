package io.erpsync.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erpsync.core.Texts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and writes the contract's JSON; anything that does not fit becomes an {@link UnreadableAnswer}. */
public final class ErpJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErpJson() {
    }

    public record Page(List<ItemSnapshot> items, boolean hasMore) {
    }

    /** A collection read (contract 2.1). */
    public static Page items(ErpAnswer answer) {
        JsonNode root = parse(answer, "items collection");
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new UnreadableAnswer("the items collection has no items array", answer.status(), answer.body());
        }
        List<ItemSnapshot> out = new ArrayList<>();
        for (JsonNode item : items) {
            out.add(snapshot(item, answer));
        }
        return new Page(out, root.path("hasMore").asBoolean(false));
    }

    /** A single item read (contract 2.2). */
    public static ItemSnapshot item(ErpAnswer answer) {
        return snapshot(parse(answer, "item"), answer);
    }

    static ItemSnapshot snapshot(JsonNode item, ErpAnswer answer) {
        JsonNode id = item.get("ItemId");
        String number = item.path("ItemNumber").asText(null);
        String ci = changeIndicator(item);
        if (id == null || !id.canConvertToLong() || number == null || ci == null) {
            throw new UnreadableAnswer("an item without ItemId, ItemNumber or changeIndicator: " + Texts.cut(item.toString()),
                    answer.status(), answer.body());
        }
        JsonNode q = item.get("OnhandQuantity");
        BigDecimal onhand = q == null || q.isNull() || !q.isNumber() ? null : q.decimalValue();
        return new ItemSnapshot(id.asLong(), number, item.path("OrganizationCode").asText(null), onhand, ci);
    }

    /** The current item a skipped part carries (contract 3); null when it is missing or incomplete, so the item is read again. */
    private static ItemSnapshot currentOrNull(JsonNode payload) {
        try {
            return payload.isObject() ? snapshot(payload, new ErpAnswer(200, null)) : null;
        } catch (UnreadableAnswer e) {
            return null;
        }
    }

    static String changeIndicator(JsonNode item) {
        for (JsonNode link : item.path("links")) {
            if ("self".equals(link.path("rel").asText())) {
                String ci = link.path("properties").path("changeIndicator").asText(null);
                if (ci != null) {
                    return ci;
                }
            }
        }
        return null;
    }

    /** The batch body (contract 3): update parts carrying only OnhandQuantity, each with ifMatch. */
    public static String batchBody(List<QuantityUpdate> updates) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode parts = root.putArray("parts");
        for (QuantityUpdate u : updates) {
            ObjectNode p = parts.addObject();
            p.put("id", u.partId());
            p.put("path", "/items/" + u.itemId());
            p.put("operation", "update");
            p.put("ifMatch", u.ifMatch());
            p.putObject("payload").put("OnhandQuantity", u.quantity());
        }
        return root.toString();
    }

    /** The batch answer: 200 with every part, or 400 listing only the failed parts. */
    public static BatchOutcome batchOutcome(ErpAnswer answer, Set<String> sentPartIds) {
        JsonNode root = parse(answer, "batch answer");
        JsonNode parts = root.get("parts");
        if (answer.status() == 200) {
            if (parts == null || !parts.isArray()) {
                throw new UnreadableAnswer("a batch answer without parts", answer.status(), answer.body());
            }
            Set<String> updated = new LinkedHashSet<>();
            Map<String, ItemSnapshot> stale = new LinkedHashMap<>();
            for (JsonNode p : parts) {
                String id = p.path("id").asText(null);
                if (id == null || !sentPartIds.contains(id)) {
                    throw new UnreadableAnswer("a batch answer part with an unknown id " + id, answer.status(), answer.body());
                }
                if (p.path("preconditionSucceeded").asBoolean(true)) {
                    updated.add(id);
                } else {
                    stale.put(id, currentOrNull(p.path("payload")));
                }
            }
            Set<String> missing = new LinkedHashSet<>(sentPartIds);
            missing.removeAll(updated);
            missing.removeAll(stale.keySet());
            if (!missing.isEmpty()) {
                throw new UnreadableAnswer("a batch answer that leaves out parts " + missing, answer.status(), answer.body());
            }
            return BatchOutcome.applied(updated, stale);
        }
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            return null;
        }
        Map<String, PartFailure> failed = new LinkedHashMap<>();
        for (JsonNode p : parts) {
            String id = p.path("id").asText(null);
            JsonNode ex = p.path("exception");
            if (id == null || !sentPartIds.contains(id) || ex.isMissingNode()) {
                throw new UnreadableAnswer("a failed batch part without a known id or an exception", answer.status(), answer.body());
            }
            failed.put(id, new PartFailure(ex.path("status").asInt(answer.status()), ex.path("title").asText(""),
                    ex.path("detail").asText("")));
        }
        return BatchOutcome.rolledBack(failed, sentPartIds);
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

    private static JsonNode parse(ErpAnswer answer, String what) {
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
    public static List<Job> jobs(ErpAnswer answer) {
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
