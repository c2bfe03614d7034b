package io.erpsync.ops;

import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.core.CycleSummary;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** erp-sync's health checks, beside Camel's, on /observe/health (readiness) and /observe/health/live (liveness). */
public final class SyncHealth {
    private SyncHealth() {
    }

    /** Readiness: the runtime's own tables answer. */
    public static final class Store extends AbstractHealthCheck {
        private final DataSource store;

        public Store(DataSource store) {
            super("erp-sync", "store");
            this.store = store;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try (Connection c = store.getConnection()) {
                if (c.isValid(2)) {
                    builder.up();
                } else {
                    builder.down().message("the store connection is not valid");
                }
            } catch (Exception e) {
                builder.down().error(e).message("the store database cannot be reached: " + e.getMessage());
            }
        }
    }

    /**
     * Readiness: the ERP answers (a cached probe of a cheap read the target names, the ERP's scheduled-process
     * endpoint) and the breaker is not open.
     */
    public static final class Erp extends AbstractHealthCheck {
        private final Supplier<String> probeUrl;
        private final Supplier<SSLContext> tls;
        private final String authorization;
        private final UpdateBreaker breaker;
        private final Duration cacheFor;
        // made on the first probe: a JDK HttpClient costs a few tenths of a second of start-up
        private volatile HttpClient http;
        private volatile Instant probedAt = Instant.EPOCH;
        private volatile String problem;

        public Erp(Supplier<String> probeUrl, Supplier<SSLContext> tls, String authorization, UpdateBreaker breaker,
                   Duration cacheFor) {
            super("erp-sync", "erp");
            this.probeUrl = probeUrl;
            this.tls = tls;
            this.authorization = authorization;
            this.breaker = breaker;
            this.cacheFor = cacheFor;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("breaker", breaker.state().name());
            if (breaker.state() == CircuitBreaker.State.OPEN) {
                builder.down().message("the ERP circuit breaker is open");
                return;
            }
            if (Instant.now().isAfter(probedAt.plus(cacheFor))) {
                problem = probe();
                probedAt = Instant.now();
            }
            if (problem == null) {
                builder.up();
            } else {
                builder.down().message(problem);
            }
        }

        private String probe() {
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls.get()).build();
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(probeUrl.get()))
                        .header("Authorization", authorization).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() < 500 && r.statusCode() != 401 && r.statusCode() != 403 ? null
                        : "the ERP answers HTTP " + r.statusCode();
            } catch (Exception e) {
                return "the ERP cannot be reached: " + e.getMessage();
            }
        }
    }

    /**
     * Liveness: the last cycles did not all fail. Its data (?exposureLevel=full&data=true) say which
     * node this is, which node ran the last run and which runs now, the same on every node of a cluster.
     */
    public static final class Cycles extends AbstractHealthCheck {
        private final SyncRuns runs;
        private final RunLease lease;
        private final int failuresAllowed;

        public Cycles(SyncRuns runs, RunLease lease, int failuresAllowed) {
            super("erp-sync", "cycles");
            this.runs = runs;
            this.lease = lease;
            this.failuresAllowed = failuresAllowed;
        }

        @Override
        public boolean isReadiness() {
            return false;
        }

        /** Camel's checks are readiness only unless they say so. */
        @Override
        public boolean isLiveness() {
            return true;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            List<SyncRuns.Run> last = runs.history(failuresAllowed);
            builder.detail("node", lease.me());
            if (!last.isEmpty()) {
                SyncRuns.Run r = last.get(0);
                builder.detail("lastRun", "run " + r.summary().runId() + " " + r.summary().status() + " on " + r.node());
            }
            builder.detail("runningNow", lease.holder(RunLease.STOCK).map(RunLease.Holder::describe).orElse("none"));
            boolean allFailed = last.size() >= failuresAllowed
                    && last.stream().allMatch(r -> r.summary().status().equals(CycleSummary.FAILED));
            if (allFailed) {
                builder.down().message("the last " + failuresAllowed + " cycles failed: " + last.get(0).summary().message());
            } else {
                builder.up();
            }
        }
    }
}
