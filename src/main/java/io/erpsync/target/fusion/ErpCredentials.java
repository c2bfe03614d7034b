package io.erpsync.target.fusion;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The Authorization header for every ERP call (contract section 1). Never printed: toString hides it. */
public final class ErpCredentials {
    private final String header;

    private ErpCredentials(String header) {
        this.header = header;
    }

    /** A bearer token wins over a username and password when both are set. */
    public static ErpCredentials of(String username, String password, String token) {
        if (token != null && !token.isBlank()) {
            return new ErpCredentials("Bearer " + token);
        }
        String pair = (username == null ? "" : username) + ":" + (password == null ? "" : password);
        return new ErpCredentials("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    public String authorizationHeader() {
        return header;
    }

    @Override
    public String toString() {
        return "ErpCredentials[****]";
    }
}
