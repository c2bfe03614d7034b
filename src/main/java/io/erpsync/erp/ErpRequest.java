package io.erpsync.erp;

/** One call to the ERP, described before it is sent; {@link ErpHttp} puts it on the wire. */
public record ErpRequest(String method, String path, String query, String contentType, String body, String ifMatch) {

    public static final String VERSION_ROOT = "/fscmRestApi/resources/11.13.18.05";
    public static final String ESS_REQUESTS = "/ess/rest/scheduler/v1/requests";
    public static final String BATCH_TYPE = "application/vnd.oracle.adf.batch+json";

    public static ErpRequest get(String path, String query) {
        return new ErpRequest("GET", path, query, null, null, null);
    }

    /** A batch request (contract 3) of update parts. */
    public static ErpRequest batch(String body) {
        return new ErpRequest("POST", VERSION_ROOT, null, BATCH_TYPE, body, null);
    }

    public boolean isBatch() {
        return BATCH_TYPE.equals(contentType);
    }
}
