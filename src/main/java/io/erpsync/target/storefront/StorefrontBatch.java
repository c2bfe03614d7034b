package io.erpsync.target.storefront;

import io.erpsync.core.Multipart;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storefront's batch (contract section 4): parts with a content id, a method and a path under
 * the data root; an answer whose parts carry the same ids and their own status, in any order.
 */
final class StorefrontBatch {
    static final String PATH = "/s/-/dw/batch";
    static final int MAX_PARTS = 50;

    /** One part as sent: id, method, path under the data root, JSON body (null for a GET). */
    record Sent(String contentId, String method, String path, String body) {
    }

    /** One part as answered. */
    record Answered(String contentId, int status, String body) {
    }

    private StorefrontBatch() {
    }

    static TargetRequest request(List<Sent> parts) {
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("a storefront batch holds at most " + MAX_PARTS + " parts, not " + parts.size());
        }
        List<Multipart.Part> out = parts.stream().map(StorefrontBatch::part).toList();
        Multipart m = Multipart.of(out);
        // the batch answers 200 with each part's own status: no status of its own is an answer to read
        return new TargetRequest("POST", PATH, null, m.contentType(), m.text(), Map.of(), Set.of());
    }

    private static Multipart.Part part(Sent s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-dw-content-id", s.contentId());
        h.put("x-dw-http-method", s.method());
        h.put("x-dw-resource-path", s.path());
        if (s.body() != null) {
            h.put("Content-Type", "application/json");
        }
        return new Multipart.Part(h, s.body());
    }

    /** The answer's parts by content id; an answer that is not a multipart of parts with ids and statuses is unreadable. */
    static Map<String, Answered> answered(TargetAnswer answer) {
        Multipart m;
        try {
            m = Multipart.read(answer.header("Content-Type"), answer.body());
        } catch (IllegalArgumentException e) {
            throw new UnreadableAnswer("a batch answer that is not multipart/mixed (" + e.getMessage() + ")", answer.status(), answer.body());
        }
        Map<String, Answered> out = new LinkedHashMap<>();
        for (Multipart.Part p : m.parts()) {
            String id = p.header("x-dw-content-id");
            String status = p.header("x-dw-status-code");
            if (id == null || status == null || !status.matches("\\d{3}")) {
                throw new UnreadableAnswer("a batch part without x-dw-content-id or x-dw-status-code", answer.status(), answer.body());
            }
            out.put(id, new Answered(id, Integer.parseInt(status), p.body()));
        }
        return out;
    }
}
