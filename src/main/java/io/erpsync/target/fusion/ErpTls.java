package io.erpsync.target.fusion;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustAllTrustManager;
import org.apache.camel.support.jsse.TrustManagersParameters;

import javax.net.ssl.SSLContext;

/**
 * How the ERP's certificate is checked. By default as the JDK does: against its trusted
 * authorities, and the host name against the certificate. {@code erp.tls.truststore} adds a trust
 * store of the operator's (a company CA, a self-signed test ERP); {@code erp.tls.trust-all} turns
 * all checking off and is refused in the prod profile.
 *
 * @param truststore the trust store file (PKCS12 or JKS), or null for the JDK's
 */
public record ErpTls(String truststore, String truststoreType, String truststorePassword, boolean trustAll) {

    public boolean isDefault() {
        return truststore == null && !trustAll;
    }

    /** The SSL parameters for Camel's HTTP component; null when the JDK's defaults apply. */
    public SSLContextParameters parameters(CamelContext ctx) {
        if (isDefault()) {
            return null;
        }
        TrustManagersParameters trust = new TrustManagersParameters();
        if (trustAll) {
            trust.setTrustManager(TrustAllTrustManager.INSTANCE);
        } else {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource(truststore.contains(":") && !truststore.matches("^[A-Za-z]:\\\\.*") ? truststore : "file:" + truststore);
            store.setType(truststoreType);
            store.setPassword(truststorePassword);
            trust.setKeyStore(store);
        }
        SSLContextParameters p = new SSLContextParameters();
        p.setTrustManagers(trust);
        p.setCamelContext(ctx);
        return p;
    }

    /** The same trust for a JDK client (the health probe); the JDK's default context when nothing is set. */
    public SSLContext sslContext(CamelContext ctx) {
        try {
            SSLContextParameters p = parameters(ctx);
            return p == null ? SSLContext.getDefault() : p.createSSLContext(ctx);
        } catch (Exception e) {
            throw new IllegalStateException("erp.tls.truststore " + truststore + " cannot be read: " + e.getMessage(), e);
        }
    }
}
