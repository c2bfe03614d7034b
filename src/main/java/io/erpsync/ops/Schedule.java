package io.erpsync.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * The schedule, steered on the Quartz scheduler and its triggers rather than on the routes:
 * camel-quartz schedules a route's job even when the route is stopped, so a stopped route could take
 * a fire and drop it. The scheduler starts only where sync.schedule.enabled (a one-shot run never
 * fires); an operator's pause and resume act on the cycle's trigger.
 */
public final class Schedule {
    static final TriggerKey CYCLE = TriggerKey.triggerKey("sync-cycle", "erp-sync");
    static final TriggerKey FULL_RECONCILE = TriggerKey.triggerKey("full-reconcile", "erp-sync");
    static final TriggerKey BOM = TriggerKey.triggerKey("bom-cycle", "erp-sync");

    private final CamelContext ctx;

    public Schedule(CamelContext ctx) {
        this.ctx = ctx;
    }

    private Scheduler scheduler() throws SchedulerException {
        return ctx.getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    /** Once the routes have scheduled their jobs: drop the full-reconcile trigger unless wanted, then fire or not. */
    public void start(boolean cycles, boolean fullReconcile, boolean bom) throws SchedulerException {
        Scheduler s = scheduler();
        if (!fullReconcile && s.checkExists(FULL_RECONCILE)) {
            s.unscheduleJob(FULL_RECONCILE);
        }
        if (!bom && s.checkExists(BOM)) {
            s.unscheduleJob(BOM);
        }
        if (cycles) {
            s.start();
        }
    }

    public boolean isPaused() {
        try {
            Scheduler s = scheduler();
            return !s.isStarted() || s.isInStandbyMode() || s.getTriggerState(CYCLE) == Trigger.TriggerState.PAUSED;
        } catch (SchedulerException e) {
            return true;
        }
    }

    /** The next fire of the cycle's trigger, or empty when paused or not scheduled. */
    public String nextFire() {
        try {
            Trigger t = scheduler().getTrigger(CYCLE);
            return t == null || t.getNextFireTime() == null || isPaused() ? "" : t.getNextFireTime().toInstant().toString();
        } catch (SchedulerException e) {
            return "";
        }
    }

    public void pause() throws SchedulerException {
        scheduler().pauseTriggers(GroupMatcher.triggerGroupEquals(CYCLE.getGroup()));
    }

    /** Resumes the cycle's trigger, and starts the scheduler where it was not started. */
    public void resume() throws SchedulerException {
        Scheduler s = scheduler();
        s.resumeTriggers(GroupMatcher.triggerGroupEquals(CYCLE.getGroup()));
        if (!s.isStarted() || s.isInStandbyMode()) {
            s.start();
        }
    }
}
