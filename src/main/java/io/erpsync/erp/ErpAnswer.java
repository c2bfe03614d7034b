package io.erpsync.erp;

/** What the ERP answered: status and body as text (ETags travel in the body, Retry-After with failures). */
public record ErpAnswer(int status, String body) {
}
