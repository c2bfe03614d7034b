package io.erpsync.target.fusion;

/**
 * One call to the ERP, described before it is sent; {@link ErpHttp} puts it on the wire. With
 * {@code conflictsAnswered}, a 409 or 412 is an answer for the caller to read (a BOM component's
 * merge decides what to do), not a failed call.
 */
public record ErpRequest(String method, String path, String query, String contentType, String body, String ifMatch,
                         boolean conflictsAnswered) {

    public static final String VERSION_ROOT = "/fscmRestApi/resources/11.13.18.05";
    public static final String ESS_REQUESTS = "/ess/rest/scheduler/v1/requests";
    public static final String BATCH_TYPE = "application/vnd.oracle.adf.batch+json";

    public static ErpRequest get(String path, String query) {
        return new ErpRequest("GET", path, query, null, null, null, false);
    }

    /** A batch request (contract 3) of update parts. */
    public static ErpRequest batch(String body) {
        return new ErpRequest("POST", VERSION_ROOT, null, BATCH_TYPE, body, null, false);
    }

    /** A PATCH of one resource with If-Match, whose 409 and 412 are answers to read. */
    public static ErpRequest patch(String path, String json, String ifMatch) {
        return new ErpRequest("PATCH", path, null, "application/json", json, ifMatch, true);
    }

    public boolean isBatch() {
        return BATCH_TYPE.equals(contentType);
    }
}
