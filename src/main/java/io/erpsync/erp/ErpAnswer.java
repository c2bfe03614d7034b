package io.erpsync.erp;

/** What the ERP answered: status, the headers the runtime uses, and the body as text. */
public record ErpAnswer(int status, String etag, String retryAfter, String body) {
}
