package io.erpsync.sync;

import io.erpsync.core.Keys;
import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Counts every HTTP request sent to the ERP, redeliveries included, against the cycle that sent it. */
public final class ErpRequestCounter extends EventNotifierSupport {

    public ErpRequestCounter() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.ExchangeSendingEvent e = (CamelEvent.ExchangeSendingEvent) event;
        Endpoint endpoint = e.getEndpoint() instanceof InterceptSendToEndpoint i ? i.getOriginalEndpoint() : e.getEndpoint();
        if (endpoint instanceof HttpEndpoint) {
            Cycle cycle = e.getExchange().getProperty(Keys.CYCLE, Cycle.class);
            if (cycle != null) {
                cycle.requestSent();
            }
        }
    }
}
