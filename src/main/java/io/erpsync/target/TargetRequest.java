package io.erpsync.target;

import org.apache.camel.component.http.HttpMethods;

import java.util.Map;
import java.util.Set;

/**
 * One call to a target, described before it is sent; the target's transport (its call route) puts it
 * on the wire. {@code headers}: the request's own HTTP headers (the ERP's If-Match), beside those the
 * transport adds to every call. {@code answered}: statuses that are answers for the caller to read
 * (a batch's 400 listing its failed parts, a component's 409 and 412 that its merge decides on), not
 * failed calls for the error policy.
 */
public record TargetRequest(String method, String path, String query, String contentType, String body, Map<String, String> headers,
                            Set<Integer> answered) {

    public TargetRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        answered = answered == null ? Set.of() : Set.copyOf(answered);
    }

    /**
     * The method as camel-http's header wants it: given as text, camel-http converts it for every call,
     * and Camel's converter lookup for an enum misses its cache each time (JFR: 40 MB a cycle of 100,000 items).
     */
    public HttpMethods httpMethod() {
        return HttpMethods.valueOf(method);
    }

    /** Whether this status is an answer to read: any 2xx, and those the request names. */
    public boolean isAnswer(int status) {
        return (status >= 200 && status < 300) || answered.contains(status);
    }
}
