package io.erpsync.target.fusion;

/**
 * What the ERP answered: status, body as text (items carry their ETags in the body), Retry-After
 * when it sent one (RFC 9110 10.2.3; with locks and throttling), and the ETag header of a single
 * resource (a BOM component, contract 6).
 */
public record ErpAnswer(int status, String body, String retryAfter, String etag) {

    public ErpAnswer(int status, String body) {
        this(status, body, null, null);
    }

    public ErpAnswer(int status, String body, String retryAfter) {
        this(status, body, retryAfter, null);
    }
}
