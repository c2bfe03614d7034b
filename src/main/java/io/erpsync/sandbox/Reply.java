package io.erpsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the sandbox answers: status, JSON body (or null) and extra headers. */
record Reply(int status, Object body, Map<String, String> headers, String contentType) {

    static final String JSON = "application/json";
    static final String ERROR_JSON = "application/vnd.oracle.adf.error+json";

    static Reply ok(Object body) {
        return new Reply(200, body, Map.of(), JSON);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, body, h, contentType);
    }

    /** Oracle's ADF error body (contract section 7). */
    static Reply error(int status, String title, String detail, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("status", String.valueOf(status));
        body.put("o:errorDetails", List.of(Map.of("detail", detail, "o:errorCode", code)));
        return new Reply(status, body, Map.of(), ERROR_JSON);
    }

    /** A proxy's error page in front of the ERP. */
    static Reply html(int status) {
        String page = "<html><head><title>" + status + "</title></head><body><h1>" + status + " from the gateway</h1>"
                + "<p>The upstream server did not answer.</p></body></html>";
        return new Reply(status, page.getBytes(StandardCharsets.UTF_8), Map.of(), "text/html");
    }

    static Reply locked(String itemNumber, String owner) {
        return new Reply(409, Map.of("error", "RECORD_LOCKED",
                "detail", "Item " + itemNumber + " locked by user " + owner), Map.of(), JSON);
    }

    static Reply modified() {
        return new Reply(409, Map.of("title", "The resource has been modified",
                "detail", "Another user has updated this record"), Map.of(), JSON);
    }
}
