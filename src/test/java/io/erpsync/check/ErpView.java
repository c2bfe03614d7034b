package io.erpsync.check;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the history checker reads from the ERP: the sandbox in this JVM, or a standalone one over its admin API. */
public interface ErpView {
    /** Every change the ERP applied, oldest first. */
    List<SandboxItems.Change> history();

    /** The item as it is now, all fields; null when the ERP has none. */
    Map<String, Object> item(String itemNumber, String organizationCode);

    /** The writes the ERP received (status -1: no answer went out). */
    List<RequestLog.Entry> writes();

    static ErpView of(SandboxErp erp) {
        return new ErpView() {
            @Override
            public List<SandboxItems.Change> history() {
                return erp.history();
            }

            @Override
            public Map<String, Object> item(String itemNumber, String organizationCode) {
                return erp.item(itemNumber, organizationCode);
            }

            @Override
            public List<RequestLog.Entry> writes() {
                return erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).toList();
            }
        };
    }

    /** A standalone sandbox (java -jar erp-sync.jar --sandbox), read once through /sandbox/items/all, /history and /writes. */
    static ErpView snapshotOf(String baseUrl) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, byte[]> get = path -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        Map<String, Map<String, Object>> items = new HashMap<>();
        for (Map<String, Object> item : json.readValue(get.apply("/sandbox/items/all"), new TypeReference<List<Map<String, Object>>>() { })) {
            items.put(item.get("ItemNumber") + "|" + item.get("OrganizationCode"), item);
        }
        List<SandboxItems.Change> history = json.readValue(get.apply("/sandbox/history"),
                new TypeReference<List<Map<String, Object>>>() { }).stream().map(m -> new SandboxItems.Change(
                ((Number) m.get("itemId")).longValue(), (String) m.get("itemNumber"), (String) m.get("organizationCode"), (String) m.get("field"),
                m.get("value"), (String) m.get("by"), Instant.parse((String) m.get("at")), ((Number) m.get("version")).longValue())).toList();
        List<RequestLog.Entry> writes = json.readValue(get.apply("/sandbox/writes"), new TypeReference<List<Map<String, Object>>>() { })
                .stream().map(m -> {
                    Map<Long, String> q = new LinkedHashMap<>();
                    ((Map<?, ?>) m.get("quantities")).forEach((k, v) -> q.put(Long.valueOf(String.valueOf(k)), String.valueOf(v)));
                    return new RequestLog.Entry(Instant.parse((String) m.get("receivedAt")), Instant.parse((String) m.get("at")),
                            (String) m.get("method"), (String) m.get("path"), null, ((Number) m.get("status")).intValue(),
                            ((Number) m.get("parts")).intValue(), q.keySet(), q);
                }).toList();
        return new ErpView() {
            @Override
            public List<SandboxItems.Change> history() {
                return history;
            }

            @Override
            public Map<String, Object> item(String itemNumber, String organizationCode) {
                return items.get(itemNumber + "|" + organizationCode);
            }

            @Override
            public List<RequestLog.Entry> writes() {
                return writes;
            }
        };
    }
}
