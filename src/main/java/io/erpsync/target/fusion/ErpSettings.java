package io.erpsync.target.fusion;

import io.erpsync.config.Settings;

import java.util.Optional;

/** How erp-sync signs in to the ERP, trusts it and reads its answers (application.properties: ERP). */
public record ErpSettings(Optional<String> username, String password, String token, long maxAnswerBytes, Optional<String> truststore,
                          String truststoreType, String truststorePassword, boolean trustAll) {

    public static ErpSettings from(Settings s) {
        return new ErpSettings(s.optional("erp.username"), s.secret("erp.password"), s.secret("erp.token"), s.bytes("erp.max-answer-size"),
                s.optional("erp.tls.truststore"), s.text("erp.tls.truststore-type"), s.secret("erp.tls.truststore-password"),
                s.flag("erp.tls.trust-all"));
    }

    public ErpCredentials credentials() {
        return ErpCredentials.of(username.orElse(null), password, token);
    }

    public ErpTls tls() {
        return new ErpTls(truststore.orElse(null), truststoreType, truststorePassword, trustAll);
    }
}
