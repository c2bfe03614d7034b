package io.erpsync.erp;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Puts an {@link ErpRequest} on the wire for camel-http and reads the answer back, in
 * routes/erp-call.camel.yaml. Headers are cleared first: camel-http sends message headers as HTTP
 * headers, and only ours may go out.
 */
public final class ErpHttp {
    private final ErpCredentials credentials;

    public ErpHttp(ErpCredentials credentials) {
        this.credentials = credentials;
    }

    /** The range camel-http takes as an answer; the batch endpoint answers 400 with the failed parts listed (contract 3). */
    public static final String OK_STATUS = "erpSyncOkStatus";
    static final String REQUEST = "erpSyncRequest";

    public void prepare(Exchange ex) throws InvalidPayloadException {
        // a redelivery comes back here with the wire body: the request is kept aside for it
        ErpRequest r = ex.getMessage().getBody() instanceof ErpRequest req ? req : ex.getProperty(REQUEST, ErpRequest.class);
        if (r == null) {
            r = ex.getMessage().getMandatoryBody(ErpRequest.class);
        }
        ex.setProperty(REQUEST, r);
        ex.setProperty(OK_STATUS, ErpRequest.BATCH_TYPE.equals(r.contentType()) ? "200-299,400" : "200-299");
        Message m = ex.getMessage();
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

    public ErpAnswer answer(Exchange ex) {
        Message m = ex.getMessage();
        ErpAnswer a = new ErpAnswer(m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), m.getBody(String.class));
        m.getHeaders().clear();
        return a;
    }
}
