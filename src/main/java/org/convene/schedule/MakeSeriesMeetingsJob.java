package org.convene.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Quartz entry point that keeps every series' meetings made ahead to its horizon. Never throws into the scheduler. */
@DisallowConcurrentExecution
final class MakeSeriesMeetingsJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(MakeSeriesMeetingsJob.class);
    private final Runnable makeMeetings;

    MakeSeriesMeetingsJob(Runnable makeMeetings) {
        this.makeMeetings = makeMeetings;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            makeMeetings.run();
        } catch (RuntimeException e) {
            log.error("making series meetings failed trigger={}; the next run tries again", context.getTrigger().getKey(), e);
        }
    }
}
