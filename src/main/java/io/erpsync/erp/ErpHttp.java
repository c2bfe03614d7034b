package io.erpsync.erp;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Puts an {@link ErpRequest} on the wire for camel-http and reads the answer back. Headers are
 * cleared first: camel-http sends message headers as HTTP headers, and only ours may go out.
 */
public final class ErpHttp {
    private final ErpCredentials credentials;

    public ErpHttp(ErpCredentials credentials) {
        this.credentials = credentials;
    }

    public void prepare(Exchange ex) throws InvalidPayloadException {
        ErpRequest r = ex.getMessage().getMandatoryBody(ErpRequest.class);
        Message m = ex.getMessage();
        m.getHeaders().clear();
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

    public ErpAnswer answer(Exchange ex) {
        Message m = ex.getMessage();
        ErpAnswer a = new ErpAnswer(m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), m.getHeader("ETag", String.class),
                m.getHeader("Retry-After", String.class), m.getBody(String.class));
        m.getHeaders().clear();
        return a;
    }
}
