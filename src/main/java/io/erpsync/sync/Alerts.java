package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a cycle parked too much of what it read (sync.alert.parked-ratio, 5 % by default), or left
 * a stock-out parked (sync.priority.*): then something needs a person, so routes/alert.camel.yaml logs
 * an ERROR and posts to a webhook.
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private final double parkedRatio;
    private final double conflictRate;
    private final String webhookUrl;

    public Alerts(double parkedRatio, double conflictRate, String webhookUrl) {
        this.parkedRatio = parkedRatio;
        this.conflictRate = conflictRate;
        this.webhookUrl = webhookUrl;
    }

    /** Whether sync.alert.webhook-url names a place to POST the alert to. */
    public boolean hasWebhook() {
        return webhookUrl != null && !webhookUrl.isBlank();
    }

    /**
     * Past sync.alert.conflict-rate (10 %) of the rows read, conflicts are no longer bad timing: the
     * ERP's process design (jobs, batch windows, editing habits) needs changing. Logged as a WARN.
     */
    public boolean conflictRateTooHigh(CycleSummary s) {
        if (s.read() == 0 || (double) s.conflicts() / s.read() <= conflictRate) {
            return false;
        }
        LOG.warn("Cycle {}: {} conflicts for {} rows read ({} %), above sync.alert.conflict-rate {} %: the process design, not the "
                + "integration, needs changing; see java -jar erp-sync.jar --report", s.runId(), s.conflicts(), s.read(),
                Math.round(1000.0 * s.conflicts() / s.read()) / 10.0, conflictRate * 100);
        return true;
    }

    /** Past the parked ratio, or a stock-out (sync.priority.*) ended the cycle parked, whatever the ratio. */
    public boolean shouldAlert(CycleSummary s) {
        return parkedTooMuch(s) || !s.stockOuts().parked().isEmpty();
    }

    private boolean parkedTooMuch(CycleSummary s) {
        int tried = Math.max(s.read(), s.parked());
        return tried > 0 && s.parked() > parkedRatio * tried;
    }

    /**
     * The alert as JSON-ready map, logged at ERROR with its figures: PARKED_RATIO past the ratio, else
     * STOCK_OUT_PARKED; the stock-outs that ended the cycle parked are named either way (the target, and
     * the storefront after it, may still sell what the warehouse no longer holds).
     */
    public Map<String, Object> message(CycleSummary s) {
        int tried = Math.max(s.read(), s.parked());
        List<String> stockOuts = s.stockOuts().parked();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert", parkedTooMuch(s) ? "PARKED_RATIO" : "STOCK_OUT_PARKED");
        m.put("run", s.runId());
        m.put("parked", s.parked());
        m.put("tried", tried);
        m.put("ratio", tried == 0 ? 0 : (double) s.parked() / tried);
        m.put("threshold", parkedRatio);
        if (!stockOuts.isEmpty()) {
            m.put("stockOutsParked", stockOuts);
        }
        m.put("summary", s.asMap());
        if (parkedTooMuch(s)) {
            LOG.error("ALERT cycle {} parked {} of {} items ({} %, threshold {} %): see the exception queue", s.runId(), s.parked(), tried,
                    Math.round(1000.0 * s.parked() / tried) / 10.0, parkedRatio * 100);
        }
        if (!stockOuts.isEmpty()) {
            LOG.error("ALERT cycle {}: {} stock-outs ended the cycle parked, the target may still show stock that is gone: {}{}; see the "
                    + "exception queue", s.runId(), stockOuts.size(), String.join(", ", stockOuts.subList(0, Math.min(20, stockOuts.size()))),
                    stockOuts.size() > 20 ? " and " + (stockOuts.size() - 20) + " more" : "");
        }
        return m;
    }
}
