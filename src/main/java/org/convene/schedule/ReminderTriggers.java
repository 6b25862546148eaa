package org.convene.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with its JDBC store in Convene's own database: one trigger per distinct due instant (4,800
 * meetings at 17:30 are one firing), plus a sweep every minute that catches anything a lost trigger
 * would have left behind.
 */
public final class ReminderTriggers implements ReminderPlanner.Triggers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReminderTriggers.class);
    private static final String GROUP = "convene";
    private static final JobKey JOB = new JobKey("fire-due-reminders", GROUP);
    private static final TriggerKey SWEEP = new TriggerKey("sweep", GROUP);
    private static final JobKey SERIES_JOB = new JobKey("make-series-meetings", GROUP);
    /** Series make meetings weeks ahead, so a few runs a day keep the horizon with room to spare. */
    private static final TriggerKey SERIES_EVERY_6H = new TriggerKey("series-every-6h", GROUP);
    /** In a pre-rolled trigger's name, before the due instant it was planned for. */
    private static final String DUE = "-due-";
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(2);
    private static final java.time.Duration REPLAN_GAP = java.time.Duration.ofMillis(50);

    private final Scheduler scheduler;
    private final ReminderFiring firing;
    private final Runnable deliveriesAdded;
    private final Runnable makeSeriesMeetings;

    private final java.util.List<Runnable> sweeps = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Work that runs once a minute with the sweep (follow-ups that have no due instant of their own). */
    public void everyMinute(Runnable task) {
        sweeps.add(task);
    }

    public ReminderTriggers(DataSource dataSource, String clusterNode, ReminderFiring firing, Runnable deliveriesAdded) {
        this(dataSource, clusterNode, firing, deliveriesAdded, () -> {});
    }

    /**
     * @param clusterNode this node's name when several nodes share the database (PostgreSQL), so that each
     *     trigger fires on one of them; null for a database only this node uses (SQLite)
     * @param makeSeriesMeetings makes the meetings recurring series owe; run at start and every six hours
     */
    public ReminderTriggers(DataSource dataSource, String clusterNode, ReminderFiring firing, Runnable deliveriesAdded, Runnable makeSeriesMeetings) {
        boolean clustered = clusterNode != null;
        this.firing = firing;
        this.deliveriesAdded = deliveriesAdded;
        this.makeSeriesMeetings = makeSeriesMeetings;
        String provider = "convene-" + Integer.toHexString(System.identityHashCode(this));
        DBConnectionManager.getInstance().addConnectionProvider(provider, new PooledConnections(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "convene");
        p.setProperty("org.quartz.scheduler.instanceId", clustered ? clusterNode : "single");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // PostgreSQLDelegate reads blobs with getBytes, which sqlite-jdbc supports (StdJDBCDelegate's getBlob is not)
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", provider);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(clustered));
        if (clustered) {
            // row locks in QRTZ_LOCKS keep two nodes from firing one trigger; a node silent this long has its
            // triggers recovered by the others. Never on SQLite, whose driver cannot take those locks (stack.md).
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "7500");
            p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        }
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        if (org.convene.store.Database.takesWriterTurn(dataSource)) {
            p.setProperty("org.quartz.jobStore.lockHandler.class", TurnPerConnection.class.getName());
        }
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            scheduler = factory.getScheduler();
            scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getJobClass() == MakeSeriesMeetingsJob.class
                    ? new MakeSeriesMeetingsJob(makeSeriesMeetings) : new FireDueRemindersJob(firing, sweeps, this::afterFiring));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + causes(e), e);
        }
    }

    /**
     * Starts firing. Everything overdue is handled first (late if its meeting has not started, missed
     * otherwise), then every future due instant gets its trigger, so the reminders table and Quartz agree.
     */
    public void start(Set<Instant> futureDueInstants) {
        try {
            JobDetail job = JobBuilder.newJob(FireDueRemindersJob.class).withIdentity(JOB).storeDurably().build();
            scheduler.addJob(job, true);
            scheduleUnlessThere(TriggerBuilder.newTrigger().withIdentity(SWEEP).forJob(JOB)
                    .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever().withMisfireHandlingInstructionNextWithRemainingCount())
                    .startNow().build());
            scheduler.addJob(JobBuilder.newJob(MakeSeriesMeetingsJob.class).withIdentity(SERIES_JOB).storeDurably().build(), true);
            scheduleUnlessThere(TriggerBuilder.newTrigger().withIdentity(SERIES_EVERY_6H).forJob(SERIES_JOB)
                    .withSchedule(SimpleScheduleBuilder.repeatHourlyForever(6).withMisfireHandlingInstructionNextWithRemainingCount())
                    .startAt(org.quartz.DateBuilder.futureDate(6, org.quartz.DateBuilder.IntervalUnit.HOUR)).build());
            firing.fireDue();
            try {
                makeSeriesMeetings.run();
            } catch (RuntimeException e) {
                log.error("making series meetings at start failed; the six-hourly run tries again", e);
            }
            ensure(futureDueInstants);
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + causes(e), e);
        }
    }

    /**
     * A trigger every node wants once (the sweep, the series run). Nodes started together (a cluster
     * upgraded at once) all find it missing and create it; the later ones find it made, which is fine.
     */
    private void scheduleUnlessThere(Trigger trigger) throws SchedulerException {
        if (scheduler.checkExists(trigger.getKey())) return;
        try {
            scheduler.scheduleJob(trigger);
        } catch (ObjectAlreadyExistsException e) {
            log.debug("trigger {} was made by another node starting at the same time", trigger.getKey());
        }
    }

    /** The message of a failure and of each cause under it, so that the one line printed names what went wrong. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null && !text.toString().contains(c.getMessage())) text.append(": ").append(c.getMessage());
        }
        return text.toString();
    }

    /**
     * One trigger at each due instant, moved earlier by the wave's pre-roll so that it is sent by then, and
     * never before now: Quartz leaves a trigger more than its misfire threshold in the past to its misfire
     * scan, seconds later, so a reminder due already (planned late, re-planned, recovered) fires at once.
     * The trigger's name carries the due instant it was planned for (see {@link #afterFiring}).
     */
    @Override
    public void ensure(Set<Instant> dueInstants) {
        Map<Instant, java.time.Duration> prerolls = firing.prerolls(dueInstants);
        // due instants are the service's clock's (the machine's in production, which Quartz fires by)
        Instant now = firing.now();
        for (Instant due : dueInstants) {
            Instant at = due.minus(prerolls.getOrDefault(due, java.time.Duration.ZERO));
            plan(due, at.isBefore(now) ? now : at);
        }
    }

    private void plan(Instant due, Instant at) {
        TriggerKey key = new TriggerKey(at.toEpochMilli() == due.toEpochMilli() ? "at-" + at.toEpochMilli()
                : "at-" + at.toEpochMilli() + DUE + due.toEpochMilli(), GROUP);
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(JOB).startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            // no look first: each call to the job store is a write transaction of its own on SQLite
            scheduler.scheduleJob(trigger);
        } catch (ObjectAlreadyExistsException e) {
            // another request for the same instant got there first: one trigger is what we want
        } catch (SchedulerException e) {
            // the minute sweep still fires this reminder; say so loudly
            log.error("could not add the trigger for {}; the sweep will fire it within a minute", due, e);
        }
    }

    /** The due instant a trigger was planned for, as its name says; empty for the sweep and retries. */
    static java.util.Optional<Instant> dueOf(TriggerKey key) {
        String name = key.getName();
        if (!name.startsWith("at-")) return java.util.Optional.empty();
        int marker = name.indexOf(DUE);
        try {
            return java.util.Optional.of(Instant.ofEpochMilli(Long.parseLong(marker < 0 ? name.substring(3) : name.substring(marker + DUE.length()))));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * After a firing by the trigger {@code key}. A pre-rolled trigger whose reminders turn out not to be due
     * yet (the queue ahead of them drained meanwhile, so their wave needs less pre-roll) plans its due
     * instant again, at the start the firing worked out, instead of leaving it to the minute sweep: each such
     * step is later than the one before and none is after the due instant, where everything due fires. A
     * firing that failed is tried again in a few seconds.
     */
    void afterFiring(TriggerKey key, ReminderFiring.Result result) {
        Instant now = Instant.now();
        if (result == null) {
            Instant at = now.plus(RETRY);
            try {
                scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(new TriggerKey("retry-" + at.toEpochMilli(), GROUP)).forJob(JOB)
                        .startAt(Date.from(at)).withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build());
            } catch (ObjectAlreadyExistsException e) {
                // a retry at that instant is planned already
            } catch (SchedulerException e) {
                log.error("could not plan a retry of the failed firing; the sweep tries again within a minute", e);
            }
            return;
        }
        Optional<Instant> due = dueOf(key).filter(result.waiting()::containsKey);
        if (due.isEmpty()) return;
        Instant at = result.waiting().get(due.get());
        // a moment at least after this firing (a pre-roll wavering around now must not become a busy loop), never after the due instant
        if (at.isBefore(now.plus(REPLAN_GAP))) at = now.plus(REPLAN_GAP);
        if (at.isAfter(due.get())) at = due.get();
        // a clock the service reads that is not the machine's (a test's) would only make this fire again at once
        if (at.isAfter(now)) plan(due.get(), at);
    }

    @Override
    public void deliveriesAdded() {
        deliveriesAdded.run();
    }

    public boolean healthy() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    public int triggerCount() {
        try {
            return scheduler.getTriggersOfJob(JOB).size();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("Quartz did not shut down cleanly", e);
        }
    }

    /** Hands Quartz connections from Convene's own pool: one pool for everything, no c3p0. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to Convene and is closed with it
        }

        @Override
        public void initialize() {
            // nothing to set up: the pool exists already
        }
    }
}
