package io.erpsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.check.HistoryChecker;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.SyncAttempts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

/**
 * An ERP on HTTPS: its certificate and host name are checked by default, a trust store of the
 * operator's is honoured, "trust all" is refused in prod, and an https ERP gets the same HTTP
 * settings as an http one (no hidden retries of 503).
 */
class ErpTlsTest {
    static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path dir;
    static Path rightHost;
    static Path otherHost;
    static Path truststore;

    SandboxErp erp;

    @BeforeAll
    static void certificates() throws Exception {
        rightHost = keystore("erp-local", "SAN=ip:127.0.0.1,dns:localhost");
        otherHost = keystore("erp-other", "SAN=dns:erp.example.com");
        truststore = dir.resolve("truststore.p12");
        for (String alias : List.of("erp-local", "erp-other")) {
            Path cert = dir.resolve(alias + ".cer");
            keytool("-exportcert", "-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(), "-storepass", "changeit",
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-keystore", truststore.toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit");
        }
    }

    static Path keystore(String alias, String san) throws Exception {
        Path p = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias, "-ext", san,
                "-validity", "2", "-keystore", p.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        return p;
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    static SandboxErp httpsSandbox(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = 40;
        c.tls = tls;
        return new SandboxErp(c).start();
    }

    @AfterEach
    void closeErp() {
        if (erp != null) {
            erp.close();
        }
    }

    void changeItems(TestRuntime rt) throws Exception {
        for (int n = 1; n <= 20; n++) {
            rt.wmsItem(n, 4000 + n);
        }
    }

    @Test
    void a_self_signed_erp_is_refused_by_default_and_the_run_fails_naming_the_certificate() throws Exception {
        erp = httpsSandbox(rightHost);
        try (TestRuntime rt = new TestRuntime(erp).start()) {
            changeItems(rt);

            CycleSummary s = rt.runCycle();

            assertEquals(CycleSummary.FAILED, s.status(), s.toString());
            assertTrue(s.message().contains("certificate is not trusted") && s.message().contains("erp.tls.truststore"), s.message());
            assertEquals(0, erp.history().size(), "nothing reached the ERP");
            assertEquals(0, rt.exceptions("OPEN").size(), "a setting to fix parks nothing");
        }
    }

    @Test
    void with_the_operators_truststore_every_item_lands_and_a_503_is_not_retried_behind_the_policys_back() throws Exception {
        erp = httpsSandbox(rightHost);
        try (TestRuntime rt = new TestRuntime(erp).set("erp.tls.truststore", truststore.toString())
                .set("erp.tls.truststore-password", "changeit").set("sync.retry.initial-delay", "50ms").start()) {
            changeItems(rt);
            erp.faults().add(new Faults.Fault(Faults.Kind.STATUS, 503, 0, Faults.Match.READ), 2);

            CycleSummary s = rt.runCycle();

            assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
            assertEquals(20, new HistoryChecker(erp, rt.wmsUrl, rt.storeUrl).assertHolds().synced());
            long answered503 = erp.requests().count(e -> e.status() == 503);
            List<SyncAttempts.Attempt> retried = rt.bean("syncAttempts", SyncAttempts.class).ofRun(s.runId());
            assertEquals(2, answered503);
            assertEquals(answered503, retried.stream().filter(a -> Integer.valueOf(503).equals(a.httpStatus())).count(),
                    "every 503 the ERP sent went through the retry policy (HttpClient's own retries are off for https too)");
        }
    }

    @Test
    void a_trusted_certificate_for_another_host_name_is_refused() throws Exception {
        erp = httpsSandbox(otherHost);
        try (TestRuntime rt = new TestRuntime(erp).set("erp.tls.truststore", truststore.toString())
                .set("erp.tls.truststore-password", "changeit").start()) {
            changeItems(rt);

            CycleSummary s = rt.runCycle();

            assertEquals(CycleSummary.FAILED, s.status());
            assertTrue(s.message().contains("names another host") && s.message().contains("127.0.0.1"), s.message());
            assertEquals(0, erp.history().size());
        }
    }

    @Test
    void trust_all_is_refused_in_prod_and_works_in_dev_for_a_test_erp() throws Exception {
        erp = httpsSandbox(otherHost);
        Exception refused = assertThrows(Exception.class, () -> new TestRuntime(erp).set("erp.tls.trust-all", "true").start());
        assertTrue(causes(refused).contains("erp.tls.trust-all = true turns off the check of the ERP's certificate"), causes(refused));

        try (TestRuntime rt = new TestRuntime(erp).profile("dev").set("sandbox.enabled", "false").set("wms.sample.enabled", "false")
                .set("erp.tls.trust-all", "true").start()) {
            changeItems(rt);
            assertEquals(CycleSummary.SUCCEEDED, rt.runCycle().status());
        }
    }

    static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }
}
