package io.erpsync;

import io.erpsync.breaker.BreakerSettings;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.config.Settings;
import io.erpsync.gate.GateSettings;
import io.erpsync.gate.JobGate;
import io.erpsync.store.BreakerEvents;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.time.Clock;

/** What holds the sync back: the circuit breaker over item updates (its transitions kept in the store) and the job gate. */
final class BreakerAndGateConfiguration implements CamelConfiguration {
    private final StoreConfiguration store;
    private UpdateBreaker erpBreaker;
    private JobGate jobGate;

    BreakerAndGateConfiguration(StoreConfiguration store) {
        this.store = store;
    }

    @Override
    public void configure(CamelContext ctx) {
        Settings s = new Settings(ctx.getPropertiesComponent());
        erpBreaker = erpBreaker(BreakerSettings.from(s));
        jobGate = jobGate(GateSettings.from(s));
        ctx.getRegistry().bind("erpBreaker", erpBreaker);
        ctx.getRegistry().bind("jobGate", jobGate);
    }

    private UpdateBreaker erpBreaker(BreakerSettings b) {
        return new UpdateBreaker(b.failureRatePercent(), b.window(), b.minimumUpdates(), b.openDuration(), b.probes(),
                new BreakerEvents(store.store().dataSource())::record, Clock.systemUTC());
    }

    private static JobGate jobGate(GateSettings g) {
        return new JobGate(g.jobs(), g.pollInterval(), g.maxWait(), g.onTimeout(), g.onError(), Clock.systemUTC());
    }

    UpdateBreaker breaker() {
        return erpBreaker;
    }

    JobGate gate() {
        return jobGate;
    }
}
