package io.erpsync.erp;

/**
 * What the ERP answered: status, body as text (ETags travel in the body), and Retry-After when it
 * sent one (RFC 9110 10.2.3; with locks and throttling).
 */
public record ErpAnswer(int status, String body, String retryAfter) {

    public ErpAnswer(int status, String body) {
        this(status, body, null);
    }
}
