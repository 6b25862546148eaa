package org.convene.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Quartz entry point: fires everything due, whichever trigger woke it. Never throws into the scheduler. */
@DisallowConcurrentExecution
final class FireDueRemindersJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(FireDueRemindersJob.class);
    private final ReminderFiring firing;
    private final java.util.List<Runnable> sweeps;

    FireDueRemindersJob(ReminderFiring firing, java.util.List<Runnable> sweeps) {
        this.firing = firing;
        this.sweeps = sweeps;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            firing.fireDue();
        } catch (RuntimeException e) {
            log.error("firing due reminders failed trigger={}; the minute sweep tries again", context.getTrigger().getKey(), e);
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
