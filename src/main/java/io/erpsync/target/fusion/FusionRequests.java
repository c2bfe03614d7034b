package io.erpsync.target.fusion;

import io.erpsync.target.TargetRequest;

import java.util.Map;
import java.util.Set;

/** The ERP's requests as the contract names them (docs/erp-contract.md): its version root, batch type and If-Match. */
public final class FusionRequests {
    public static final String VERSION_ROOT = "/fscmRestApi/resources/11.13.18.05";
    public static final String ESS_REQUESTS = "/ess/rest/scheduler/v1/requests";
    public static final String BATCH_TYPE = "application/vnd.oracle.adf.batch+json";

    private FusionRequests() {
    }

    public static TargetRequest get(String path, String query) {
        return new TargetRequest("GET", path, query, null, null, Map.of(), Set.of());
    }

    /** A batch request (contract 3): its 400 lists the failed parts, an answer read part by part. */
    public static TargetRequest batch(String body) {
        return new TargetRequest("POST", VERSION_ROOT, null, BATCH_TYPE, body, Map.of(), Set.of(400));
    }

    /** A PATCH of one resource with If-Match (when there is one), whose 409 and 412 are answers to read. */
    public static TargetRequest patch(String path, String json, String ifMatch) {
        return new TargetRequest("PATCH", path, null, "application/json", json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch),
                Set.of(409, 412));
    }
}
