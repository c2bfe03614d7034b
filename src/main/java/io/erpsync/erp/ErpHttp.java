package io.erpsync.erp;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts an {@link ErpRequest} on the wire for camel-http and reads the answer back, in
 * routes/erp-call.camel.yaml. camel-http takes the method, path, query and HTTP headers from the
 * message headers, so these two steps work on the message itself.
 */
public final class ErpHttp {
    /** Property: the request being sent, kept aside for a redelivery (which comes back with the wire body). */
    static final String REQUEST = "erpRequest";

    private final ErpCredentials credentials;

    public ErpHttp(ErpCredentials credentials) {
        this.credentials = credentials;
    }

    /** Headers and body for camel-http; only ours go out, as camel-http sends message headers as HTTP headers. */
    public void prepare(Exchange ex) throws InvalidPayloadException {
        Message m = ex.getMessage();
        ErpRequest r = m.getBody() instanceof ErpRequest req ? req : ex.getProperty(REQUEST, ErpRequest.class);
        if (r == null) {
            r = m.getMandatoryBody(ErpRequest.class);
        }
        ex.setProperty(REQUEST, r);
        // the redelivery counters stay: the retry policy numbers its retries by them
        m.removeHeaders("*", "CamelRedelivery*");
        m.setHeader(Exchange.HTTP_METHOD, r.method());
        m.setHeader(Exchange.HTTP_PATH, r.path());
        if (r.query() != null) {
            m.setHeader(Exchange.HTTP_QUERY, r.query());
        }
        m.setHeader("Authorization", credentials.authorizationHeader());
        m.setHeader("REST-Framework-Version", "2");
        m.setHeader("Accept", "application/json");
        if (r.contentType() != null) {
            m.setHeader(Exchange.CONTENT_TYPE, r.contentType());
        }
        if (r.ifMatch() != null) {
            m.setHeader("If-Match", r.ifMatch());
        }
        m.setBody(r.body());
    }

    /**
     * The answer, or the failure the retry policy works on. A batch answers 400 with the failed parts
     * listed (contract 3): that is an answer to read part by part, not a failure of the call.
     */
    public ErpAnswer answer(Exchange ex) throws HttpOperationFailedException {
        Message m = ex.getMessage();
        ErpRequest r = ex.getProperty(REQUEST, ErpRequest.class);
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        String retryAfter = m.getHeader("Retry-After", String.class);
        boolean answered = (status >= 200 && status < 300) || (status == 400 && r != null && r.isBatch());
        if (!answered) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (retryAfter != null) {
                headers.put("Retry-After", retryAfter);
            }
            throw new HttpOperationFailedException(r == null ? "" : r.method() + " " + r.path(), status,
                    m.getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class), null, headers, body);
        }
        m.getHeaders().clear();
        return new ErpAnswer(status, body, retryAfter);
    }
}
