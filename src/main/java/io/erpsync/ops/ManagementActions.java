package io.erpsync.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Who did what on the management port: every action (a Jolokia operation that changes state, a
 * replay from the status page) is one INFO line with the user and the operation, every refused one a
 * WARN, and each is counted as {@code erp_sync_management_actions_total{via,operation,outcome}}.
 */
public final class ManagementActions {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementActions.class);

    public enum Outcome { DONE, REFUSED, FAILED }

    public enum Via {
        JOLOKIA("over Jolokia"), STATUS_PAGE("on the status page");

        private final String words;

        Via(String words) {
            this.words = words;
        }
    }

    private final SyncMetrics metrics;

    public ManagementActions(SyncMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param operation what was asked, as the caller named it: {@code runNow()}, {@code replayExceptions(id=42)}
     * @param target    the MBean it was asked of
     * @param counted   the operation's name for the metric, from a fixed set (a caller cannot grow it)
     */
    public void record(Outcome outcome, Via via, String user, String operation, String target, String counted, String detail) {
        String who = user == null ? "an anonymous caller" : printable(user);
        String what = printable(operation);
        String on = printable(target);
        switch (outcome) {
            case DONE -> LOG.info("{} on {} requested {} by {}", what, on, via.words, who);
            case REFUSED -> LOG.warn("{} on {} {} refused for {}: {}", what, on, via.words, who, printable(detail));
            default -> LOG.warn("{} on {} {} by {} failed: {}", what, on, via.words, who, printable(detail));
        }
        metrics.recordAction(via.name().toLowerCase(Locale.ROOT).replace('_', '-'), counted, outcome.name().toLowerCase(Locale.ROOT));
    }

    /** What a caller sent can hold line breaks: one action stays one log line. */
    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
