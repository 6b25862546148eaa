package org.convene.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import io.javalin.config.JavalinConfig;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.ChatUser;
import org.convene.chat.local.LocalPlatform;
import org.convene.chat.local.LocalRoutes;
import org.convene.chat.telegram.TelegramBot;
import org.convene.chat.telegram.TelegramConfig;
import org.convene.chat.zalo.ZaloConfig;
import org.convene.chat.zalo.ZaloOa;
import org.convene.chat.zalobot.ZaloBot;
import org.convene.chat.zalobot.ZaloBotConfig;
import org.convene.delivery.ButtonIds;
import org.convene.delivery.DeliveryDao;
import org.convene.delivery.DeliveryMetrics;
import org.convene.delivery.Dispatcher;
import org.convene.delivery.MessageRenderer;
import org.convene.delivery.Outbox;
import org.convene.delivery.Templates;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatDao;
import org.convene.meeting.ChatService;
import org.convene.meeting.MaterialService;
import org.convene.meeting.MaterialStore;
import org.convene.meeting.MaterialTypes;
import org.convene.meeting.MaterialsPageService;
import org.convene.meeting.MeetingService;
import org.convene.meeting.MinutesService;
import org.convene.meeting.ProductService;
import org.convene.meeting.TopicService;
import org.convene.meeting.MemberDao;
import org.convene.meeting.MemberService;
import org.convene.meeting.UnitService;
import org.convene.response.FeedbackService;
import org.convene.response.FollowUps;
import org.convene.response.AttendanceService;
import org.convene.response.ChatEvents;
import org.convene.response.ReportService;
import org.convene.response.ResponseLedger;
import org.convene.response.ResponseService;
import org.convene.response.ResponseTexts;
import org.convene.schedule.PublicHolidays;
import org.convene.schedule.Reminder;
import org.convene.schedule.ReminderDao;
import org.convene.schedule.ReminderFiring;
import org.convene.schedule.ReminderPlan;
import org.convene.schedule.ReminderPlanner;
import org.convene.schedule.ReminderTriggers;
import org.convene.schedule.SeriesService;
import org.convene.schedule.SlotService;
import org.convene.store.Database;
import org.convene.store.GroupCommit;
import org.convene.store.Leases;
import org.convene.store.Settings;
import org.convene.store.Dialect;
import org.convene.web.ApiServices;
import org.convene.web.ApiTokens;
import org.convene.web.SignIn;
import org.convene.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: every part built from the configuration, started in order and stopped in reverse. */
public final class Convene implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Convene.class);

    private final Config config;
    private final Database database;
    private final Dispatcher dispatcher;
    private final ReminderTriggers triggers;
    private final ReminderFiring firing;
    private final WebServer web;
    private final Services services;
    private final TelegramBot telegram;
    private final ZaloOa zalo;
    private final ZaloBot zalobot;
    private final okhttp3.OkHttpClient http;
    private GroupCommit writes;
    /** The lock on the SQLite database's lock file while running, which tells restore the database is in use. */
    private final java.nio.channels.FileChannel inUse;
    /** This node's name among those sharing the database ("sole" on SQLite). */
    private String node;

    /** The parts tests and the demo reach for. */
    public record Services(UnitService units, MemberService members, ChatService chats, MeetingService meetings,
                           MaterialService materials, ResponseService responses, AttendanceService attendance,
                           ChatPlatforms platforms, LocalPlatform local, Dispatcher dispatcher, ReminderFiring firing,
                           Database database, FollowUps followUp, ReminderTriggers triggers, SeriesService series, PublicHolidays holidays,
                           SignIn signIn) {}

    private Convene(Config config, Clock clock, RandomGenerator random) {
        this.config = config;
        tightenPermissions(config);
        this.database = Database.open(config.effectiveDatabaseUrl(), config.databaseUser(), config.databasePassword());
        this.inUse = BackupService.markInUse(config.effectiveDatabaseUrl());
        try {
            database.migrate();
            var jdbi = database.jdbi();
            // on PostgreSQL several nodes may share the database: work that one node at a time may do goes by lease
            boolean soleNode = database.dialect() == Dialect.SQLITE;
            node = soleNode ? "sole" : Leases.nodeName(random);
            Leases leases = new Leases(jdbi, clock, node, soleNode, java.time.Duration.ofSeconds(config.leaseSeconds()));
            // one writer thread commits the outcomes of sends and the members' answers in batches (SQLite has one writer)
            writes = new GroupCommit(jdbi, "writer", 256);
            ChatPlatforms platforms = new ChatPlatforms();
            LocalPlatform local = null;
            if (config.local().enabled()) {
                local = new LocalPlatform(jdbi, clock, config.local().ratePerSecond());
                platforms.add(local);
            }
            Templates templates = new Templates(config.templatesDir());
            Settings settings = new Settings(jdbi, clock);
            // the dispatcher keeps several sends in flight: their connections stay open between messages of a wave
            http = new okhttp3.OkHttpClient.Builder().connectionPool(new okhttp3.ConnectionPool(64, 5, java.util.concurrent.TimeUnit.MINUTES))
                    .connectTimeout(java.time.Duration.ofSeconds(10))
                    .readTimeout(java.time.Duration.ofSeconds(30)).writeTimeout(java.time.Duration.ofSeconds(120)).build();
            MaterialStore store = new MaterialStore(config.dataDir());
            MaterialsPageService materialsPages = new MaterialsPageService(jdbi, clock, random, store, this::publicUrl,
                    java.time.Duration.ofDays(config.materialsPageDays()));
            telegram = config.telegram().enabled() ? new TelegramBot(telegramConfig(config.telegram()), http, jdbi, writes, leases, clock, settings, random) : null;
            if (telegram != null) platforms.add(telegram.platform());
            zalo = config.zalo().enabled() ? new ZaloOa(zaloConfig(config.zalo()), http, jdbi, writes, leases, clock, settings) : null;
            if (zalo != null) platforms.add(zalo.platform());
            zalobot = config.zalobot().enabled()
                    ? new ZaloBot(zaloBotConfig(config.zalobot()), http, jdbi, writes, leases, clock, settings, random,
                    materialsPages::photoUrl) : null;
            if (zalobot != null) platforms.add(zalobot.platform());
            ButtonIds buttonIds = new ButtonIds(java.util.HexFormat.of().parseHex(settings.secret("button-key", 32, random)));
            MessageRenderer renderer = new MessageRenderer(templates, buttonIds, platforms, new org.convene.delivery.DocumentLinks(this::publicUrl));
            ResponseTexts live = new ResponseTexts(jdbi, renderer, new ResponseLedger(jdbi, clock));
            Outbox outbox = new Outbox(renderer, clock, live, materialsPages, config.quietHours()::contains);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            dispatcher = new Dispatcher(jdbi, writes, leases, clock, platforms, store, random, new DeliveryMetrics(metrics), live);
            firing = new ReminderFiring(jdbi, clock, outbox, dispatcher::wake, dispatcher::timeToSend, config.maxPreroll());
            // the series service needs the meeting service, which needs the planner, which needs the triggers:
            // the triggers reach the series service through this holder, filled in below
            var seriesHolder = new java.util.concurrent.atomic.AtomicReference<SeriesService>();
            triggers = new ReminderTriggers(database.transactionalDataSource(), soleNode ? null : node, firing, dispatcher::wake,
                    () -> { if (seriesHolder.get() != null) seriesHolder.get().materialiseDue(); });
            ReminderPlan defaultPlan = ReminderPlan.parse(config.defaultPlan().stream().map(ConfigLoader::planEntry).toList());
            ReminderPlanner planner = new ReminderPlanner(clock, defaultPlan, config.quietHours(), outbox, triggers);

            UnitService units = new UnitService(jdbi, clock, random, config.defaultTimezone(), config.defaultLocale());
            MemberService members = new MemberService(jdbi, clock, random, config.limits().importRows());
            ChatService chats = new ChatService(jdbi, clock, random, platforms.names(), config.limits().quotas().chats());
            MeetingService meetings = new MeetingService(jdbi, clock, planner, config.limits().quotas());
            PublicHolidays holidays = new PublicHolidays(config.calendar().holidays());
            SeriesService series = new SeriesService(jdbi, clock, meetings, holidays, config.calendar().horizonWeeks());
            seriesHolder.set(series);
            SlotService slots = new SlotService(jdbi, clock, holidays, config.quietHours(), config.calendar().slots());
            MaterialService materials = new MaterialService(jdbi, clock, store, new MaterialTypes(), config.materialsMaxBytes(),
                    new org.convene.response.DocumentNotices(outbox), dispatcher::wake);
            ResponseService responses = new ResponseService(jdbi, writes, clock, outbox, dispatcher::wake, config.quietHours()::contains,
                    config.limits().quotas().chasesPerHour());
            AttendanceService attendance = new AttendanceService(jdbi, clock);
            FeedbackService feedback = new FeedbackService(jdbi, clock);
            String adminToken = adminToken(config, random);
            ApiTokens tokens = new ApiTokens(jdbi, clock, random, adminToken);
            SignIn signIn = new SignIn(jdbi, clock, random, this::publicUrl, java.time.Duration.ofHours(config.sessionHours()), tokens);
            ChatEvents events = new ChatEvents(jdbi, clock, chats, responses, templates, platforms, buttonIds, outbox, dispatcher::wake, feedback,
                    new ChatEvents.LoginLinks() {
                        @Override
                        public java.util.Optional<String> forAccount(String platform, String userId) {
                            try {
                                return java.util.Optional.of(signIn.linkForAccount(platform, userId).url());
                            } catch (org.convene.meeting.ConveneException.NotAllowed e) {
                                // a member who manages nothing signs in to read the documents of their meetings
                                return readerForAccount(platform, userId);
                            } catch (org.convene.meeting.ConveneException e) {
                                return java.util.Optional.empty();
                            }
                        }

                        @Override
                        public java.util.Optional<String> readerForAccount(String platform, String userId) {
                            try {
                                return java.util.Optional.of(signIn.readerLinkForAccount(platform, userId, "/documents").url());
                            } catch (org.convene.meeting.ConveneException e) {
                                return java.util.Optional.empty();
                            }
                        }
                    }, members);
            members.tellLinksWith(linkNotices(units, templates, platforms));

            new JvmMemoryMetrics().bindTo(metrics);
            for (String state : List.of("queued", "sending", "sent", "failed")) {
                Gauge.builder("convene_deliveries", () -> jdbi.withExtension(DeliveryDao.class, d -> d.count(state)))
                        .tag("state", state).description("Outbox rows by state").register(metrics);
            }
            Gauge.builder("convene_reminders_missed", () -> jdbi.withExtension(ReminderDao.class, d -> d.count(Reminder.MISSED)))
                    .description("Reminders whose meeting began before they could fire").register(metrics);

            String publicUrl = config.effectivePublicUrl(config.httpPort());
            ReportService reports = new ReportService(jdbi, clock, attendance, config.reportTarget());
            FollowUps followUp = new FollowUps(jdbi, clock, outbox, dispatcher::wake);
            triggers.everyMinute(followUp::remindAll);
            if (local != null) {
                LocalPlatform localChat = local;
                java.time.Duration keep = java.time.Duration.ofDays(config.local().keepDays());
                triggers.everyMinute(() -> localChat.forgetBefore(clock.instant().minus(keep)));
            }
            if (zalo != null) triggers.everyMinute(zalo::refreshAhead);
            ApiServices api = new ApiServices(jdbi, publicUrl, units, members, chats, meetings, materials,
                    new TopicService(jdbi, clock), new ProductService(jdbi, clock, store, new MaterialTypes(), config.materialsMaxBytes()), new MinutesService(jdbi, clock, meeting -> renderer.minutesDraft(units.get(meeting.unitId()), meeting)), responses, attendance, reports, followUp, feedback,
                    tokens, metrics, database.healthCheck(clock, java.time.Duration.ofSeconds(1)), triggers::healthy, series, holidays, slots, clock, leases, materialsPages, platforms,
                    new org.convene.meeting.DocumentReading(jdbi, clock, store));
            List<Consumer<JavalinConfig>> extra = new ArrayList<>();
            if (local != null) {
                LocalRoutes localRoutes = new LocalRoutes(local, events, localDirectory(jdbi, local));
                extra.add(localRoutes::register);
            }
            if (telegram != null) {
                telegram.receiveWith(events);
                telegram.webhookRoutes().ifPresent(routes -> extra.add(routes::register));
            }
            if (zalo != null) extra.add(zalo.receiveWith(events)::register);
            if (zalobot != null) {
                zalobot.receiveWith(events);
                zalobot.webhookRoutes().ifPresent(routes -> extra.add(routes::register));
            }
            boolean https = config.publicUrl() != null && config.publicUrl().startsWith("https://");
            web = new WebServer(api, signIn, https, random, extra, config.limits().failuresPerMinute());
            services = new Services(units, members, chats, meetings, materials, responses, attendance, platforms, local, dispatcher, firing, database,
                    followUp, triggers, series, holidays, signIn);
            this.adminToken = adminToken;
        } catch (RuntimeException e) {
            if (writes != null) writes.close();
            database.close();
            try {
                if (inUse != null) inUse.close();
            } catch (java.io.IOException ignored) {
                // start-up failed already; that failure is the one to report
            }
            throw e;
        }
    }

    private final String adminToken;

    /** Builds and starts the service: migrations, the dispatcher, the scheduler (reconciling first), then HTTP. */
    public static Convene start(Config config, Clock clock) {
        Convene convene = new Convene(config, clock, new SecureRandom());
        try {
            convene.dispatcher.start();
            var future = convene.database.jdbi().withExtension(ReminderDao.class, d -> d.futureDueInstants(clock.instant()));
            convene.triggers.start(new HashSet<Instant>(future));
            convene.web.start(config.httpHost(), config.httpPort());
            if (convene.telegram != null) convene.telegram.start(convene.publicUrl());
            if (convene.zalobot != null) convene.zalobot.start(convene.publicUrl());
            log.info("Convene is up on port {} with {} as node {}", convene.web.port(), Dialect.of(config.effectiveDatabaseUrl()), convene.node);
            return convene;
        } catch (RuntimeException e) {
            convene.close();
            throw e;
        }
    }

    public int port() {
        return web.port();
    }

    public String adminToken() {
        return adminToken;
    }

    public String publicUrl() {
        return config.publicUrl() != null ? config.effectivePublicUrl(port()) : "http://localhost:" + port();
    }

    public Services services() {
        return services;
    }

    public Config config() {
        return config;
    }

    @Override
    public void close() {
        if (telegram != null) telegram.close();
        if (zalo != null) zalo.close();
        if (zalobot != null) zalobot.close();
        try {
            web.close();
        } catch (RuntimeException e) {
            log.warn("web server did not stop cleanly", e);
        }
        triggers.close();
        dispatcher.close();
        writes.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        database.close();
        try {
            if (inUse != null) inUse.close();
        } catch (java.io.IOException e) {
            log.warn("could not let go of the database's lock file", e);
        }
    }

    private static TelegramConfig telegramConfig(Config.Telegram t) {
        return new TelegramConfig(t.token(), t.apiUrl(), TelegramConfig.Mode.of(t.mode()), t.webhookSecret(), t.messagesPerSecond());
    }

    private static ZaloConfig zaloConfig(Config.Zalo z) {
        return new ZaloConfig(z.appId(), z.appSecret(), z.oaSecret(), z.refreshToken(), z.apiUrl(), z.oauthUrl(), z.messagesPerSecond());
    }

    private static ZaloBotConfig zaloBotConfig(Config.ZaloBot z) {
        return new ZaloBotConfig(z.token(), z.apiUrl(), ZaloBotConfig.Mode.of(z.mode()), z.webhookSecret(), z.messagesPerSecond());
    }

    /**
     * A data directory, database, WAL or admin token that other users may open (made before this version, or
     * by the operator's {@code mkdir} under a umask of 022) is narrowed to the owner's before anything is read
     * from it, with one line saying what changed. One that cannot be changed (owned by another user) is said
     * too, and the service still starts: refusing would not make it private.
     */
    private static void tightenPermissions(Config config) {
        List<Path> paths = new ArrayList<>(List.of(config.dataDir(), config.dataDir().resolve("admin-token")));
        String url = config.effectiveDatabaseUrl();
        Path db = url.startsWith("jdbc:sqlite:") ? Database.sqliteFile(url) : null;
        if (db != null) {
            for (String suffix : List.of("", "-wal", "-shm")) paths.add(Path.of(db + suffix));
        }
        List<String> changed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Path path : paths) {
            try {
                var tightened = org.convene.store.PrivateFiles.tighten(path);
                if (tightened != null) changed.add(tightened.toString());
            } catch (java.io.IOException | SecurityException e) {
                failed.add(path + " (" + e + ")");
            }
        }
        if (!changed.isEmpty()) log.warn("other users could open the data; narrowed to the owner's: {}", String.join(", ", changed));
        if (!failed.isEmpty()) log.warn("could not narrow to the owner's, other users may open: {}", String.join(", ", failed));
    }

    /** The configured admin token, or one generated at first start and kept in the data directory. */
    private static String adminToken(Config config, RandomGenerator random) {
        if (config.adminToken() != null && !config.adminToken().isBlank()) return config.adminToken();
        Path file = config.dataDir().resolve("admin-token");
        try {
            if (Files.exists(file)) return Files.readString(file).strip();
            org.convene.store.PrivateFiles.directory(config.dataDir());
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            String token = "adm_" + java.util.HexFormat.of().formatHex(bytes);
            org.convene.store.PrivateFiles.write(file, token + "\n"); // 0600 from its creation, not chmod-ed after
            System.out.println("Generated the admin token (kept in " + file + "): " + token);
            return token;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read or write the admin token file " + file, e);
        }
    }

    /**
     * A member is told, in a private chat with the bot where the platform has one, that an account was linked
     * to them: someone who linked another's name is then found out by the one they pretended to be.
     */
    private static MemberService.LinkNotices linkNotices(UnitService units, Templates templates, ChatPlatforms platforms) {
        return (platform, userId, unitId, memberName) -> platforms.get(platform).ifPresent(p -> p.privateChatOf(userId).ifPresent(chat -> {
            try {
                var unit = units.get(unitId);
                var outcome = p.send(chat, new org.convene.chat.OutgoingMessage.Text(templates.text(unit.locale(), "notice.accountLinked", memberName, unit.name())));
                log.debug("told of a linked account platform={} unit={} outcome={}", platform, unitId, outcome);
            } catch (RuntimeException e) {
                log.warn("could not tell of a linked account platform={} unit={}", platform, unitId, e);
            }
        }));
    }

    /** The local chats and the local accounts linked in them, for the /local page. */
    private static LocalRoutes.Directory localDirectory(org.jdbi.v3.core.Jdbi jdbi, LocalPlatform local) {
        return new LocalRoutes.Directory() {
            @Override
            public Map<String, String> chats() {
                Map<String, String> chats = new LinkedHashMap<>();
                jdbi.withHandle(h -> h.createQuery("SELECT platform_chat_id, title FROM chats WHERE platform = 'local' AND state <> 'released' ORDER BY id")
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2) == null ? rs.getString(1) : rs.getString(2))).list())
                        .forEach(e -> chats.put(e.getKey(), e.getValue()));
                return chats;
            }

            @Override
            public java.util.Optional<Long> unitOf(String chatId) {
                return jdbi.withHandle(h -> h.createQuery("SELECT unit_id FROM chats WHERE platform = 'local' AND platform_chat_id = :c AND state <> 'released'")
                        .bind("c", chatId).mapTo(Long.class).findOne());
            }

            @Override
            public List<ChatUser> people(String chatId) {
                return jdbi.withHandle(h -> {
                    var chat = h.attach(ChatDao.class).find(LocalPlatform.NAME, chatId);
                    if (chat.isEmpty()) return List.<ChatUser>of();
                    return new MemberDao(h).ofUnit(chat.get().unitId()).stream()
                            .filter(m -> m.leftOn() == null && m.accounts().containsKey(LocalPlatform.NAME))
                            .map(m -> new ChatUser(m.accounts().get(LocalPlatform.NAME), m.name(), null)).toList();
                });
            }
        };
    }
}
