package io.erpsync.sandbox;

import static io.erpsync.sandbox.SandboxErp.BATCH_TYPE;
import static io.erpsync.sandbox.SandboxErp.ESS_PATH;
import static io.erpsync.sandbox.SandboxErp.MAX_BATCH_PARTS;
import static io.erpsync.sandbox.SandboxErp.VERSION_ROOT;

import com.sun.net.httpserver.HttpExchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ERP's resources as docs/erp-contract.md describes them: items (one by one, the collection with
 * {@code q}, the batch endpoint), item structures and their components, and the ESS requests. Auth,
 * faults and latency come before, in {@link SandboxErp}.
 */
final class SandboxResources {
    private final SandboxItems items;
    private final SandboxStructures structures;
    private final SandboxJobs jobs;
    private final Knobs knobs;
    private final Clock clock;

    SandboxResources(SandboxItems items, SandboxStructures structures, SandboxJobs jobs, Knobs knobs, Clock clock) {
        this.items = items;
        this.structures = structures;
        this.jobs = jobs;
        this.knobs = knobs;
        this.clock = clock;
    }

    /** The answer of the ERP resource a request names (after auth and faults). */
    Reply answer(HttpExchange ex, String method, String rawPath, Object body) {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (rawPath.equals(ESS_PATH) && method.equals("GET")) {
            return essRequests(query);
        }
        if (!rawPath.startsWith(VERSION_ROOT)) {
            return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
        }
        String path = rawPath.substring(VERSION_ROOT.length());
        String[] seg = path.isEmpty() || path.equals("/") ? new String[0] : path.substring(1).split("/");
        if (seg.length == 0) {
            if (!method.equals("POST")) {
                return Reply.error(405, "Method Not Allowed", "Use POST for batch requests.", "METHOD");
            }
            if (contentType == null || !contentType.startsWith(BATCH_TYPE)) {
                return Reply.error(415, "Unsupported Media Type", "Batch requests need Content-Type " + BATCH_TYPE, "MEDIA_TYPE");
            }
            return batch(body);
        }
        try {
            if (seg[0].equals("items")) {
                return items(method, seg, query, contentType, ex.getRequestHeaders().getFirst("If-Match"), body);
            }
            if (seg[0].equals("itemStructures")) {
                return structures(method, seg, query, contentType, ex.getRequestHeaders().getFirst("If-Match"), body);
            }
        } catch (NumberFormatException e) {
            return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
        }
        return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
    }

    private Reply items(String method, String[] seg, Map<String, String> query, String contentType, String ifMatch, Object body) {
        if (seg.length == 1) {
            if (!method.equals("GET")) {
                return Reply.error(405, "Method Not Allowed", "Items are read with GET and changed one by one or in a batch.", "METHOD");
            }
            return collection(query);
        }
        if (seg.length != 2) {
            return Reply.error(404, "Not Found", "No such item resource.", "NOT_FOUND");
        }
        long id = Long.parseLong(seg[1]);
        switch (method) {
            case "GET" -> {
                Versioned v = items.item(id);
                if (v == null) {
                    return Reply.error(404, "Not Found", "The requested resource items/" + id + " was not found.", "NOT_FOUND");
                }
                return items.itemReply(v, !"true".equals(query.get("onlyData")));
            }
            case "PATCH", "PUT" -> {
                if (contentType == null || !(contentType.startsWith("application/json")
                        || contentType.startsWith("application/vnd.oracle.adf.resourceitem+json"))) {
                    return Reply.error(415, "Unsupported Media Type", "Updates need Content-Type application/json.", "MEDIA_TYPE");
                }
                return method.equals("PATCH") ? items.patchItem(id, ifMatch, body) : items.replaceItem(id, body);
            }
            default -> {
                return Reply.error(405, "Method Not Allowed", method + " is not supported on an item.", "METHOD");
            }
        }
    }

    /** A page of a collection (contract 2): {@code limit} items (25 unless given, at most 500) from {@code offset}. */
    private record Page(int limit, int offset) {
        static Page of(Map<String, String> query) {
            return new Page(Math.min(500, Math.max(1, intParam(query, "limit", 25))), Math.max(0, intParam(query, "offset", 0)));
        }

        <T> List<T> of(List<T> all) {
            int from = Math.min(offset, all.size());
            return all.subList(from, (int) Math.min(all.size(), (long) from + limit));
        }

        /** The collection's answer: these items of {@code total}, and whether more follow. */
        Map<String, Object> envelope(List<?> items, int total) {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("items", items);
            env.put("count", items.size());
            env.put("hasMore", offset + items.size() < total);
            env.put("limit", limit);
            env.put("offset", offset);
            return env;
        }
    }

    private Reply collection(Map<String, String> query) {
        Query q;
        try {
            q = Query.parse(query.get("q"), items.queryableFields());
        } catch (Query.Invalid e) {
            return Reply.error(400, "Bad Request", e.getMessage(), "INVALID_QUERY");
        }
        Page p = Page.of(query);
        boolean onlyData = "true".equals(query.get("onlyData"));
        Set<String> fields = query.containsKey("fields") ? Set.of(query.get("fields").split(",")) : null;
        List<Versioned> all = items.query(q);
        List<Map<String, Object>> page = new ArrayList<>();
        for (Versioned v : p.of(all)) {
            page.add(items.render(v, onlyData, fields));
            maybeEditAfterRead(v.id());
        }
        Map<String, Object> env = p.envelope(page, all.size());
        env.put("links", List.of(Map.of("rel", "self", "href", VERSION_ROOT + "/items", "name", "items", "kind", "collection")));
        return Reply.ok(env);
    }

    private Reply batch(Object body) {
        if (!(body instanceof Map<?, ?> m) || !(m.get("parts") instanceof List<?> parts)) {
            return Reply.error(400, "Bad Request", "A batch request needs a parts array.", "INVALID_BATCH");
        }
        if (parts.size() > MAX_BATCH_PARTS) {
            return Reply.error(413, "Request Entity Too Large", "A batch holds at most " + MAX_BATCH_PARTS + " parts; this one has " + parts.size() + ".", "BATCH_TOO_LARGE");
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object p : parts) {
            if (!(p instanceof Map<?, ?>)) {
                return Reply.error(400, "Bad Request", "Every batch part must be an object.", "INVALID_BATCH");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> part = (Map<String, Object>) p;
            list.add(part);
        }
        Reply r = items.batch(list);
        if (r.status() == 409 || (r.status() == 400 && String.valueOf(r.body()).contains("RECORD_LOCKED"))) {
            return knobs.withRetryAfter(r, clock.instant());
        }
        return r;
    }

    private Reply structures(String method, String[] seg, Map<String, String> query, String contentType, String ifMatch, Object body) {
        long billId = Long.parseLong(seg[1]);
        Versioned s = structures.structure(billId);
        if (s == null) {
            return Reply.error(404, "Not Found", "Structure " + billId + " was not found.", "NOT_FOUND");
        }
        if (seg.length == 2 && method.equals("GET")) {
            return Reply.ok(s.fields()).withHeader("ETag", Etags.quote(s.etag()));
        }
        if (seg.length == 4 && seg[2].equals("child") && seg[3].equals("Component") && method.equals("GET")) {
            // a child collection pages as the item collection does (contract 2)
            Page p = Page.of(query);
            List<Versioned> all = new ArrayList<>(structures.components(billId));
            List<Map<String, Object>> comps = new ArrayList<>();
            for (Versioned c : p.of(all)) {
                Map<String, Object> m = new LinkedHashMap<>(c.fields());
                m.put("links", List.of(Map.of("rel", "self", "name", "Component", "kind", "item",
                        "properties", Map.of("changeIndicator", c.etag()))));
                comps.add(m);
            }
            return Reply.ok(p.envelope(comps, all.size()));
        }
        if (seg.length == 5 && seg[2].equals("child") && seg[3].equals("Component")) {
            long compId = Long.parseLong(seg[4]);
            if (method.equals("GET")) {
                Versioned c = structures.component(billId, compId);
                return c == null ? Reply.error(404, "Not Found", "Component " + compId + " was not found.", "NOT_FOUND")
                        : Reply.ok(c.fields()).withHeader("ETag", Etags.quote(c.etag()));
            }
            if (method.equals("PATCH")) {
                if (contentType == null || !contentType.startsWith("application/json")) {
                    return Reply.error(415, "Unsupported Media Type", "Updates need Content-Type application/json.", "MEDIA_TYPE");
                }
                SandboxJobs.BillLock lock = jobs.billLock(billId);
                if (lock != null) {
                    return knobs.withRetryAfter(Reply.locked("structure " + billId, lock.owner()), clock.instant());
                }
                return structures.patchComponent(billId, compId, ifMatch, body);
            }
        }
        return Reply.error(404, "Not Found", "No such structure resource.", "NOT_FOUND");
    }

    /** ESS requests (contract 5): the server may ignore q, so this one does, like the contract allows. */
    private Reply essRequests(Map<String, String> query) {
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScheduledJob j : jobs.jobs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            String state = j.stateAt(now);
            m.put("requestId", j.requestId());
            m.put("jobDefinitionName", j.name());
            m.put("state", state);
            m.put("submitter", j.submitter());
            m.put("processStartTime", state.equals("WAIT") ? null : j.start().toString());
            m.put("processEndTime", state.equals("SUCCEEDED") ? j.end().toString() : null);
            out.add(m);
        }
        int limit = Math.min(500, intParam(query, "limit", 25));
        List<Map<String, Object>> page = out.subList(Math.max(0, out.size() - limit), out.size());
        return Reply.ok(Map.of("items", page, "count", page.size(), "hasMore", out.size() > page.size()));
    }

    private void maybeEditAfterRead(long id) {
        if (knobs.editAfterReadRate > 0 && ThreadLocalRandom.current().nextDouble() < knobs.editAfterReadRate) {
            items.editByAnotherUser(id, "ItemDescription", "Edited by planner at " + items.now());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static int intParam(Map<String, String> q, String name, int dflt) {
        try {
            return q.containsKey(name) ? Integer.parseInt(q.get(name)) : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
