package io.erpsync.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request to the batch endpoint (contract section 3) over the item master: every part is computed
 * on a working copy first, and the copy is stored only when no part failed. Runs under the item
 * master's monitor ({@link SandboxItems#batch}), so the batch is all or nothing.
 */
final class ItemBatch {

    /** A part outcome computed before anything is applied. */
    record PartResult(Map<String, Object> part, Versioned after, Map<String, Object> exception, boolean skipped) {}

    private final SandboxItems items;
    private final Map<Long, Versioned> working = new HashMap<>();

    ItemBatch(SandboxItems items) {
        this.items = items;
    }

    Reply run(List<Map<String, Object>> parts) {
        List<PartResult> results = new ArrayList<>();
        for (Map<String, Object> part : parts) {
            results.add(runPart(part));
        }
        List<Map<String, Object>> failed = new ArrayList<>();
        for (PartResult r : results) {
            if (r.exception() != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("id", r.part().get("id"));
                f.put("path", r.part().get("path"));
                f.put("operation", r.part().get("operation"));
                f.put("exception", r.exception());
                failed.add(f);
            }
        }
        if (!failed.isEmpty()) {
            return new Reply(400, Map.of("parts", failed), Map.of(), Reply.JSON);
        }
        items.store(working);
        for (PartResult r : results) {
            if (r.after() != null && !r.skipped() && r.exception() == null && !"get".equals(String.valueOf(r.part().get("operation")))
                    && r.part().get("payload") instanceof Map<?, ?>) {
                items.recordChanges(r.after(), r.after(), SandboxItems.asMap(r.part().get("payload")), "client");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (PartResult r : results) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", r.part().get("id"));
            p.put("path", r.part().get("path"));
            p.put("operation", r.part().get("operation"));
            if (r.part().get("ifMatch") != null) {
                p.put("preconditionSucceeded", !r.skipped());
            }
            if (r.after() != null) {
                p.put("payload", items.render(r.after(), false));
            }
            out.add(p);
        }
        return Reply.ok(Map.of("parts", out));
    }

    private PartResult runPart(Map<String, Object> part) {
        String op = String.valueOf(part.get("operation"));
        String path = String.valueOf(part.get("path"));
        Long id = SandboxItems.itemIdFromPath(path);
        if (!Set.of("get", "update", "create", "replace", "delete").contains(op)) {
            return failure(part, 400, "Bad Request", "Unknown operation " + op);
        }
        if (op.equals("create")) {
            return failure(part, 400, "Bad Request", "Items cannot be created in this sandbox");
        }
        if (id == null || (working.containsKey(id) ? working.get(id) == null : !items.contains(id))) {
            return failure(part, 404, "Not Found", "The requested resource " + path + " was not found.");
        }
        Versioned cur = working.containsKey(id) ? working.get(id) : items.item(id);
        if (op.equals("get")) {
            return new PartResult(part, cur, null, false);
        }
        ScheduledJob owner = items.lockOwner(id);
        if (owner != null) {
            return failure(part, 409, "RECORD_LOCKED", "Item " + cur.fields().get("ItemNumber") + " locked by user " + owner.submitter());
        }
        Object ifMatch = part.get("ifMatch");
        if (ifMatch != null && !Etags.matches(String.valueOf(ifMatch), cur.etag())) {
            return new PartResult(part, cur, null, true);
        }
        if (items.modifiedByAnotherUserNow()) {
            return failure(part, 409, "The resource has been modified", "Another user has updated this record");
        }
        if (op.equals("delete")) {
            working.put(id, null);
            return new PartResult(part, null, null, false);
        }
        Object payload = part.get("payload");
        String invalid = items.invalidItemPayload(payload, cur);
        if (invalid != null) {
            return failure(part, 400, "Bad Request", invalid);
        }
        Versioned next = op.equals("replace") ? items.replaced(cur, SandboxItems.asMap(payload)) : items.merge(cur, SandboxItems.asMap(payload));
        working.put(id, next);
        return new PartResult(part, next, null, false);
    }

    private static PartResult failure(Map<String, Object> part, int status, String title, String detail) {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("status", status);
        ex.put("title", title);
        ex.put("detail", detail);
        return new PartResult(part, null, ex, false);
    }
}
