package org.convene.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz entry point: fires everything due, whichever trigger woke it. Never throws into the scheduler.
 *
 * <p>Not {@code @DisallowConcurrentExecution}: with it, Quartz marks every other trigger of the job
 * BLOCKED when one fires and WAITING again when it completes, two updates of every trigger per firing;
 * with reminders spread over thousands of instants that held SQLite's write lock for seconds (the lag
 * benchmark). Two firings at once are harmless: each reminder becomes fired once, in its own savepoint.
 */
final class FireDueRemindersJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(FireDueRemindersJob.class);
    private final ReminderFiring firing;
    private final java.util.List<Runnable> sweeps;
    private final java.util.function.BiConsumer<org.quartz.TriggerKey, ReminderFiring.Result> afterwards;

    /** @param afterwards told what the firing did (null when it failed), to plan what it left */
    FireDueRemindersJob(ReminderFiring firing, java.util.List<Runnable> sweeps,
                        java.util.function.BiConsumer<org.quartz.TriggerKey, ReminderFiring.Result> afterwards) {
        this.firing = firing;
        this.sweeps = sweeps;
        this.afterwards = afterwards;
    }

    @Override
    public void execute(JobExecutionContext context) {
        ReminderFiring.Result result = null;
        try {
            result = firing.fireDue();
        } catch (RuntimeException e) {
            log.error("firing due reminders failed trigger={}; trying again in a few seconds", context.getTrigger().getKey(), e);
        }
        try {
            afterwards.accept(context.getTrigger().getKey(), result);
        } catch (RuntimeException e) {
            log.error("planning what the firing left failed trigger={}; the minute sweep catches it", context.getTrigger().getKey(), e);
        }
        if (context.getTrigger().getKey().getName().equals("sweep")) {
            for (Runnable sweep : sweeps) {
                try {
                    sweep.run();
                } catch (RuntimeException e) {
                    log.error("a minute sweep task failed; it runs again in a minute", e);
                }
            }
        }
    }
}
