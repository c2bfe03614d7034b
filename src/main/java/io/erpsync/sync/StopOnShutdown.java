package io.erpsync.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * When Camel starts to stop (SIGTERM), the running cycle is told at once, so it starts no new batch
 * and records itself within camel.main.shutdown-timeout: its batches on their way get four fifths
 * of that timeout. Then the ERP calls still waiting for an answer are cut off (a hung ERP must not
 * hold the process past its timeout); what they carried is read again by the next cycle.
 */
public final class StopOnShutdown extends EventNotifierSupport {
    private static final Logger LOG = LoggerFactory.getLogger(StopOnShutdown.class);
    private final CamelContext ctx;
    private final List<Function<Duration, Boolean>> runs;
    private final Duration grace;

    /** @param runs what runs (the stock cycles, the BOM cycles): told to stop with the grace; true when one was running */
    public StopOnShutdown(CamelContext ctx, List<Function<Duration, Boolean>> runs, Duration shutdownTimeout) {
        this.ctx = ctx;
        this.runs = List.copyOf(runs);
        this.grace = shutdownTimeout.multipliedBy(4).dividedBy(5);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        boolean any = false;
        for (Function<Duration, Boolean> run : runs) {
            any |= run.apply(grace);
        }
        if (!any) {
            return;
        }
        Thread cut = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Endpoint e : ctx.getEndpoints()) {
                if (e instanceof HttpEndpoint http && http.getClientConnectionManager() != null) {
                    LOG.warn("Stopping: ERP calls to {} still without an answer after {} are cut off", http.getHttpUri(), grace);
                    http.getClientConnectionManager().close(CloseMode.IMMEDIATE);
                }
            }
        }, "erp-sync-stop");
        cut.setDaemon(true);
        cut.start();
    }
}
