package org.convene.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.OutgoingMessage;
import org.convene.meeting.Chat;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialDao;
import org.convene.meeting.MaterialStore;
import org.convene.store.Lease;
import org.convene.store.Leases;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox through the chat port: earliest deadline first, each account within its declared
 * rate and each chat within its own, honouring a platform's retry-after for the whole account, backing
 * off with jitter on transient faults, and marking permanent refusals failed with the platform's words.
 *
 * <p>One coordinator thread decides and does the outbox's bookkeeping; the sends themselves run on
 * virtual threads, as many at once as each account's {@link SendWindows window} allows, so a remote API's
 * round trip does not cap the rate. A delivery is claimed ({@code sending}) in the database before it is
 * sent, so a crash can only repeat messages that were in flight. A chat's messages go one after the other
 * on one worker, keeping their order; different chats go side by side.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int MAX_ATTEMPTS = 12;
    /** Due deliveries looked at per pass: enough to find sendable ones past the chats still in flight. */
    private static final int BATCH = 500;
    /** Between passes while a wave is going: a pass costs a query, and the rate's tokens gather meanwhile. */
    private static final Duration PASS_INTERVAL = Duration.ofMillis(10);
    /**
     * How far ahead of now a pass of the background loop claims slots: a little more than the time between two
     * passes, so that the pace has no gaps; each send waits for its slot. {@link #drainOnce()} claims none ahead.
     */
    private static final Duration LOOKAHEAD = PASS_INTERVAL.multipliedBy(2);
    /** A unit holding more than this share of a full batch makes the pass look past it for the other units' deliveries. */
    private static final int DOMINANT_SHARE = 2;
    /** A bound on the units remembered for fairness. */
    private static final int UNITS_REMEMBERED = 20_000;
    /** A bound on the material cache (materials never change once stored). */
    private static final int MATERIALS_CACHED = 4096;

    /** The lease under which one node at a time sends. */
    static final String LEASE = "dispatcher";
    /** How often a node that does not send checks whether the sending node is still there. */
    private static final Duration STANDBY_CHECK = Duration.ofSeconds(2);

    private final Jdbi jdbi;
    private final Lease lease;
    private final Clock clock;
    private final ChatPlatforms platforms;
    private final MaterialStore store;
    private final RandomGenerator random;
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final RateLimits limits;
    private final LiveContent live;
    private final SendWindows windows = new SendWindows();
    private final DocumentFiles files;
    private final OutcomeWriter outcomes;
    private final Set<Long> chatsInFlight = ConcurrentHashMap.newKeySet();
    /**
     * When each unit last had a message claimed (a sequence, not a time): of the units with deliveries due,
     * the one served longest ago goes first, so that one unit's flood shares the rate with the others
     * instead of holding their reminders back behind it. Used by the coordinator thread only.
     */
    private final Map<Long, Long> unitServed = new HashMap<>();
    private long served;
    private final Map<Long, Material> materials = new ConcurrentHashMap<>();
    /** Parsed payloads of the deliveries passes keep meeting (a payload never changes once written). */
    private final Map<Long, Payload> payloads = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Payload> eldest) {
            return size() > 4 * BATCH;
        }
    };
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("send-", 0).factory());
    /** One pass at a time: the background loop and a caller of {@link #drainOnce()} take turns. */
    private final ReentrantLock passes = new ReentrantLock();
    private volatile Duration shortestWait = Duration.ofSeconds(1);
    private final Semaphore wake = new Semaphore(0);
    private final Object settled = new Object();
    private volatile boolean running;
    private Thread thread;

    public Dispatcher(Jdbi jdbi, Clock clock, ChatPlatforms platforms, MaterialStore store, RandomGenerator random,
                      DeliveryMetrics metrics, LiveContent live) {
        this(jdbi, Writes.direct(jdbi), Leases.sole(jdbi, clock), clock, platforms, store, random, metrics, live);
    }

    /**
     * @param writes where sends' outcomes are recorded: a group commit, so that a fast wave is not a commit per message
     * @param leases this node's leases: of the nodes sharing a database, only the one holding the dispatcher's
     *     lease sends, so the platforms' rates hold for the whole service and not per node
     */
    public Dispatcher(Jdbi jdbi, Writes writes, Leases leases, Clock clock, ChatPlatforms platforms, MaterialStore store,
                      RandomGenerator random, DeliveryMetrics metrics, LiveContent live) {
        this(jdbi, writes, leases, clock, System::nanoTime, platforms, store, random, metrics, live);
    }

    /**
     * @param ticker nanoseconds of real time, for the spacing of sends: a platform counts real seconds, so a
     *     clock that stands still (a test's) must not stop sends that are merely spaced; the windows themselves
     *     go by {@code clock}
     */
    public Dispatcher(Jdbi jdbi, Writes writes, Leases leases, Clock clock, java.util.function.LongSupplier ticker, ChatPlatforms platforms,
                      MaterialStore store, RandomGenerator random, DeliveryMetrics metrics, LiveContent live) {
        this.lease = leases.lease(LEASE);
        this.live = live;
        this.jdbi = jdbi;
        this.limits = new RateLimits(ticker);
        this.clock = clock;
        this.platforms = platforms;
        this.store = store;
        this.random = random;
        this.files = new DocumentFiles(jdbi);
        this.outcomes = new OutcomeWriter(writes, metrics, this::backoff);
        metrics.sending(lease::isHeld);
    }

    /**
     * Takes the sending over if no other node has it (re-queueing what a crash left in flight), then drains
     * in the background until closed, or stands by while another node sends.
     */
    public void start() {
        holdLease();
        running = true;
        thread = Thread.ofPlatform().name("dispatcher").daemon().start(this::loop);
    }

    /**
     * Deliveries left in {@code sending} by a crash may or may not have reached the chat: they go out
     * again, the only duplicates a crash can cause. Returns how many.
     */
    public int recoverInFlight() {
        int requeued = jdbi.withExtension(DeliveryDao.class, DeliveryDao::requeueInFlight);
        if (requeued > 0) log.warn("re-queued {} deliveries that were in flight at the last stop", requeued);
        return requeued;
    }

    /**
     * Taking the sending over (from another node, or from this service before a restart), the windows start
     * with what was sent in the last minute, and what was in flight counts as sent now: the platform counted
     * those, and a full second's worth on top of them would be refused.
     */
    private void countRecentSends() {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT c.platform, c.platform_chat_id, d.state, d.sent_at FROM deliveries d JOIN chats c ON c.id = d.chat_id
                        WHERE (d.state = 'sent' AND d.sent_at >= :since) OR d.state = 'sending'""")
                .bind("since", now.minus(Duration.ofMinutes(1)))
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)}).list()
                .forEach(row -> platforms.get((String) row[0]).ifPresent(p -> limits.sentBefore(p, (String) row[1],
                        Delivery.SENDING.equals(row[2]) ? now : Instant.ofEpochMilli((Long) row[3])))));
    }

    /** True when this node may send now; on taking the sending over, first re-queues what the last holder left in flight. */
    private boolean holdLease() {
        Lease.Holding holding = lease.hold();
        if (holding == Lease.Holding.TAKEN) {
            countRecentSends();
            recoverInFlight();
        }
        return holding != Lease.Holding.ELSEWHERE;
    }

    /** Tells the dispatcher new deliveries may be due. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                if (!holdLease()) {
                    wake.tryAcquire(STANDBY_CHECK.toNanos(), TimeUnit.NANOSECONDS);
                    wake.drainPermits();
                    continue;
                }
                int sent;
                passes.lock();
                try {
                    sent = pass(LOOKAHEAD);
                } finally {
                    passes.unlock();
                }
                if (sent > 0) {
                    // let the rate's tokens gather for the next pass instead of paying a query per message
                    Thread.sleep(PASS_INTERVAL.toMillis());
                } else {
                    wake.tryAcquire(idleWait().toNanos(), TimeUnit.NANOSECONDS);
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("dispatcher round failed; trying again shortly", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Duration idleWait() {
        Optional<Instant> next = jdbi.withHandle(h -> h.createQuery(DeliveryDao.NEXT_ATTEMPT).mapTo(Instant.class).findOne());
        Duration wait = Duration.ofSeconds(1);
        if (next.isPresent()) {
            Duration until = Duration.between(clock.instant(), next.get());
            wait = until.compareTo(wait) < 0 ? until : wait;
        }
        if (shortestWait.compareTo(wait) < 0) wait = shortestWait;
        // a pass costs queries: between two, at least the pass interval (a wake, for new deliveries or a finished send, cuts it short)
        return wait.compareTo(PASS_INTERVAL) < 0 ? PASS_INTERVAL : wait;
    }

    /**
     * Sends what is due now and waits for those sends: passes until one finds nothing more to send (or a
     * batch's worth went). Returns how many deliveries were attempted or settled.
     */
    public int drainOnce() {
        if (!holdLease()) return 0;
        passes.lock();
        try {
            int total = 0;
            while (total < BATCH) {
                int n = pass(Duration.ZERO);
                awaitSendsInFlight();
                if (n == 0) break;
                total += n;
            }
            return total;
        } finally {
            passes.unlock();
        }
    }

    private void awaitSendsInFlight() {
        synchronized (settled) {
            // a chat leaves the set once its sends are recorded, after their window places were given back
            while (!chatsInFlight.isEmpty()) {
                try {
                    settled.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** What one pass decided for the deliveries it looked at, written in one transaction. */
    private record Decisions(List<SendResult.Claim> toClaim, Map<Long, Instant> postponed, Map<Delivery, String> failed,
                             Map<Long, ChatPlatform> windowHolders) {}

    /**
     * One pass over the due deliveries, earliest deadline first among each unit's and the unit served longest
     * ago first: decides which may go by {@code now + lookahead} (within the rates, the windows and the chats'
     * order), claims them in one transaction, and hands each chat's claimed delivery to a worker, which sends
     * it at its slot. Returns how many were claimed or settled.
     */
    private int pass(Duration lookahead) {
        Instant now = clock.instant();
        List<Due> due = jdbi.withHandle(h -> h.createQuery(DeliveryDao.DUE).bind("now", now).bind("limit", BATCH).map(Due.ROW).list());
        shortestWait = Duration.ofSeconds(1);
        if (due.isEmpty()) return 0;
        due = withOtherUnits(due, now);
        Map<Long, Chat> chats = new HashMap<>();
        Set<Long> chatIds = new HashSet<>();
        due.forEach(d -> chatIds.add(d.delivery().chatId()));
        jdbi.withHandle(h -> h.createQuery("SELECT * FROM chats WHERE id IN (<ids>)").bindList("ids", chatIds).map(Chat.ROW).list())
                .forEach(c -> chats.put(c.id(), c));
        Map<Long, Payload> parsed = new HashMap<>();
        for (Due row : due) {
            Delivery d = row.delivery();
            Payload p = payloads.get(d.id());
            try {
                if (p == null) payloads.put(d.id(), p = Payload.fromJson(d.payload()));
                parsed.put(d.id(), p);
            } catch (RuntimeException e) {
                // left out: deciding fails this delivery with the reason
            }
        }
        loadMaterials(parsed.values());
        Decisions decisions = decide(fairOrder(due), chats, parsed, now, lookahead);
        List<SendResult.Claim> claimed = new ArrayList<>();
        Set<Long> claimedIds = new HashSet<>();
        try {
            jdbi.useTransaction(h -> {
                List<Runnable> logs = new ArrayList<>();
                if (!decisions.postponed().isEmpty() || !decisions.failed().isEmpty()) {
                    DeliveryDao dao = h.attach(DeliveryDao.class);
                    decisions.postponed().forEach(dao::postpone);
                    decisions.failed().forEach((d, reason) -> OutcomeWriter.fail(dao, d, reason, logs));
                }
                for (SendResult.Claim c : decisions.toClaim()) {
                    if (h.createUpdate(DeliveryDao.CLAIM).bind("id", c.delivery().id()).execute() == 1) {
                        claimed.add(c);
                        claimedIds.add(c.delivery().id());
                    }
                }
                h.afterCommit(() -> logs.forEach(Runnable::run));
            });
        } catch (RuntimeException e) {
            claimedIds.clear();
            claimed.clear();
            throw e;
        } finally {
            for (SendResult.Claim c : decisions.toClaim()) {
                if (claimedIds.contains(c.delivery().id())) continue;
                // not claimed (another dispatcher took it first, or the claim failed): give back any upload and its slot
                if (c.uploadSha() != null) files.uploadEnded(c.platform(), c.uploadSha(), null);
                limits.unused(c.platform(), c.chat().platformChatId(), c.slot());
            }
        }
        Map<Long, List<SendResult.Claim>> byChat = new LinkedHashMap<>();
        for (SendResult.Claim c : claimed) byChat.computeIfAbsent(c.chat().id(), k -> new ArrayList<>()).add(c);
        // a chat none of whose messages was claimed gives its window place back
        decisions.windowHolders().forEach((chatId, platform) -> {
            if (!byChat.containsKey(chatId)) windows.done(platform, null);
        });
        byChat.forEach((chatId, chain) -> {
            chatsInFlight.add(chatId);
            workers.execute(new ChatSends(chain, clock, files, windows, pausedUntil, outcomes, live, limits, () -> {
                chatsInFlight.remove(chatId);
                synchronized (settled) {
                    settled.notifyAll();
                }
                wake.release();
            }));
        });
        return claimed.size() + decisions.failed().size();
    }

    /** A due delivery with the unit whose meeting it belongs to (the unit that caused it, for fairness). */
    private record Due(Delivery delivery, long unitId) {
        static final org.jdbi.v3.core.mapper.RowMapper<Due> ROW = (rs, ctx) -> new Due(Delivery.ROW.map(rs, ctx), rs.getLong("unit_id"));
    }

    /**
     * When one unit fills most of a full batch (thousands of messages of its own, due first), the other units'
     * earliest deliveries are read too, past it: otherwise they would not even be looked at until its flood
     * had gone, and their reminders would go late.
     */
    private List<Due> withOtherUnits(List<Due> due, Instant now) {
        if (due.size() < BATCH) return due;
        Map<Long, Integer> perUnit = new HashMap<>();
        due.forEach(d -> perUnit.merge(d.unitId(), 1, Integer::sum));
        List<Long> dominant = perUnit.entrySet().stream().filter(e -> e.getValue() * DOMINANT_SHARE > BATCH).map(Map.Entry::getKey).toList();
        if (dominant.isEmpty()) return due;
        Set<Long> seen = new HashSet<>();
        due.forEach(d -> seen.add(d.delivery().id()));
        List<Due> more = jdbi.withHandle(h -> h.createQuery(DeliveryDao.DUE_OF_OTHER_UNITS).bind("now", now).bindList("units", dominant)
                .bind("limit", BATCH / 5).map(Due.ROW).list());
        List<Due> all = new ArrayList<>(due);
        for (Due d : more) if (seen.add(d.delivery().id())) all.add(d);
        return all;
    }

    /**
     * The deliveries in the order they are considered: each unit's earliest deadline first, and the units in
     * turn, the one served longest ago first. A unit served in this pass goes behind the others, so a
     * flooding unit gets its share of the rate, not all of it; a wave's units, all served alike, keep the
     * deadline order.
     */
    private List<Due> fairOrder(List<Due> due) {
        Map<Long, java.util.ArrayDeque<Due>> byUnit = new LinkedHashMap<>();
        for (Due d : due) byUnit.computeIfAbsent(d.unitId(), k -> new java.util.ArrayDeque<>()).add(d);
        if (byUnit.size() == 1) return due;
        // by when the unit was last served, then by its first delivery's place in deadline order
        Map<Long, Integer> firstPlace = new HashMap<>();
        for (int i = 0; i < due.size(); i++) firstPlace.putIfAbsent(due.get(i).unitId(), i);
        java.util.PriorityQueue<long[]> turns = new java.util.PriorityQueue<>((x, y) -> x[1] != y[1] ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
        long turn = 0;
        for (Long unit : byUnit.keySet()) turns.add(new long[] {unit, unitServed.getOrDefault(unit, 0L), firstPlace.get(unit)});
        List<Due> ordered = new ArrayList<>(due.size());
        while (!turns.isEmpty()) {
            long[] next = turns.poll();
            java.util.ArrayDeque<Due> rows = byUnit.get(next[0]);
            ordered.add(rows.poll());
            // after one delivery, the unit waits for every other unit's turn: as if served now
            if (!rows.isEmpty()) turns.add(new long[] {next[0], served + (++turn), next[2]});
        }
        return ordered;
    }

    private void servedUnit(long unitId) {
        if (unitServed.size() > UNITS_REMEMBERED) unitServed.clear();
        unitServed.put(unitId, ++served);
    }

    /** The documents of a batch in one query, into the cache (materials never change once stored). */
    private void loadMaterials(java.util.Collection<Payload> payloads) {
        Set<Long> missing = new HashSet<>();
        for (Payload p : payloads) if (p instanceof Payload.Document d && !materials.containsKey(d.materialId())) missing.add(d.materialId());
        if (missing.isEmpty()) return;
        if (materials.size() + missing.size() > MATERIALS_CACHED) materials.clear();
        jdbi.withExtension(MaterialDao.class, dao -> dao.findAll(missing)).forEach(m -> materials.put(m.id(), m));
    }

    private Decisions decide(List<Due> due, Map<Long, Chat> chats, Map<Long, Payload> payloads, Instant now, Duration lookahead) {
        List<SendResult.Claim> toClaim = new ArrayList<>();
        Map<Long, Instant> postponed = new LinkedHashMap<>();
        Map<Delivery, String> failed = new LinkedHashMap<>();
        Set<String> exhausted = new HashSet<>();
        Map<Long, ChatPlatform> windowHolders = new HashMap<>();
        // a chat with a message held back in this pass sends nothing after it: its messages keep their order
        Map<Long, Instant> heldBack = new HashMap<>();
        Instant horizon = now.plus(lookahead);
        for (Due row : due) {
            if (!running && thread != null) break;
            Delivery delivery = row.delivery();
            long chatId = delivery.chatId();
            if (chatsInFlight.contains(chatId)) continue;
            if (heldBack.containsKey(chatId)) {
                Instant until = heldBack.get(chatId);
                if (until != null) postponed.put(delivery.id(), until);
                continue;
            }
            Chat chat = chats.get(chatId);
            if (chat == null || !chat.active()) {
                failed.put(delivery, "the chat is " + (chat == null ? "gone" : chat.state()) + "; nothing was sent");
                continue;
            }
            Optional<ChatPlatform> found = platforms.get(chat.platform());
            if (found.isEmpty()) {
                failed.put(delivery, "the platform " + chat.platform() + " is not enabled");
                continue;
            }
            ChatPlatform platform = found.get();
            if (exhausted.contains(platform.name())) {
                heldBack.put(chatId, null);
                continue;
            }
            Instant paused = pausedUntil.get(platform.name());
            if (paused != null && now.isBefore(paused)) {
                postponed.put(delivery.id(), paused);
                heldBack.put(chatId, paused);
                continue;
            }
            Instant accountFree = limits.accountFreeAt(platform, now);
            if (accountFree.isAfter(horizon)) {
                // the whole bot account is at its pace: nothing more of this platform goes out in this pass
                exhausted.add(platform.name());
                limits.heldBack(platform, now);
                heldBack.put(chatId, null);
                waitAtMost(Duration.between(now, accountFree));
                continue;
            }
            Instant chatFree = limits.chatFreeAt(platform, chat.platformChatId(), now);
            if (chatFree.isAfter(horizon)) {
                postponed.put(delivery.id(), chatFree);
                heldBack.put(chatId, chatFree);
                continue;
            }
            Payload payload = payloads.get(delivery.id());
            OutgoingMessage message;
            try {
                if (payload == null) throw new IllegalStateException("unreadable delivery payload: " + delivery.payload());
                message = payload instanceof Payload.Tally ? null : message(platform, payload);
            } catch (RuntimeException e) {
                failed.put(delivery, "cannot build the message: " + e.getMessage());
                continue;
            }
            String uploadSha = null;
            if (message instanceof OutgoingMessage.Document doc && doc.platformFileId() == null) {
                if (!files.startUpload(platform, doc.sha256())) {
                    // another chat is uploading these bytes: this one waits for the file id
                    heldBack.put(chatId, null);
                    continue;
                }
                Optional<String> uploaded = files.justUploaded(platform, doc.sha256());
                if (uploaded.isPresent()) {
                    files.uploadEnded(platform, doc.sha256(), null);
                    message = new OutgoingMessage.Document(doc.filename(), doc.mediaType(), doc.size(), doc.sha256(), doc.file(),
                            doc.caption(), uploaded.get());
                } else {
                    uploadSha = doc.sha256();
                }
            }
            if (!windows.tryTake(platform)) {
                if (uploadSha != null) files.uploadEnded(platform, uploadSha, null);
                exhausted.add(platform.name());
                limits.heldBack(platform, now);
                heldBack.put(chatId, null);
                continue;
            }
            windowHolders.put(chatId, platform);
            Instant slot = limits.reserve(platform, chat.platformChatId(), now);
            String editOf = payload instanceof Payload.Tally t ? t.agendaMessageId() : null;
            toClaim.add(new SendResult.Claim(delivery, chat, platform, payload, message, editOf, uploadSha, slot));
            servedUnit(row.unitId());
            // one message per chat and pass: the next one takes its slot when this one has gone, not a round trip early
            heldBack.put(chatId, null);
        }
        return new Decisions(toClaim, postponed, failed, windowHolders);
    }

    private void waitAtMost(Duration wait) {
        if (wait.compareTo(shortestWait) < 0) shortestWait = wait;
    }

    /**
     * For each wave (deadline → new messages per platform), how long the platforms need to send it after
     * what is already queued with an earlier or equal deadline: the longest of the platforms. Zero for
     * platforms without a limit. One query for the queue, whatever the number of waves.
     */
    public Map<Instant, Duration> timeToSend(Map<Instant, Map<String, Long>> waves) {
        // queued messages per platform by deadline, summed up so that "queued before d" is one lookup
        Map<String, java.util.TreeMap<Instant, Long>> queuedBy = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT c.platform, d.due_at, COUNT(*) FROM deliveries d JOIN chats c ON c.id = d.chat_id
                        WHERE d.state IN ('queued', 'sending') GROUP BY c.platform, d.due_at""")
                .map((rs, ctx) -> new Object[] {rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3)}).list()
                .forEach(row -> queuedBy.computeIfAbsent((String) row[0], k -> new java.util.TreeMap<>()).put((Instant) row[1], (Long) row[2])));
        Map<String, java.util.TreeMap<Instant, Long>> cumulative = new HashMap<>();
        queuedBy.forEach((platform, byDue) -> {
            java.util.TreeMap<Instant, Long> sums = new java.util.TreeMap<>();
            long total = 0;
            for (Map.Entry<Instant, Long> e : byDue.entrySet()) sums.put(e.getKey(), total += e.getValue());
            cumulative.put(platform, sums);
        });
        Map<Instant, Duration> needed = new HashMap<>();
        waves.forEach((deadline, messages) -> {
            Duration longest = Duration.ZERO;
            for (Map.Entry<String, Long> e : messages.entrySet()) {
                Optional<ChatPlatform> platform = platforms.get(e.getKey());
                if (platform.isEmpty() || platform.get().capabilities().messagesPerSecond() <= 0) continue;
                // the pace the limits allow, or the one the last long wave achieved if that was slower
                double pace = limits.pace(platform.get());
                Map.Entry<Instant, Long> before = cumulative.getOrDefault(e.getKey(), new java.util.TreeMap<>()).floorEntry(deadline);
                long queued = before == null ? 0 : before.getValue();
                double seconds = (queued + e.getValue()) / pace;
                Duration time = Duration.ofMillis((long) Math.ceil(seconds * 1000));
                if (time.compareTo(longest) > 0) longest = time;
            }
            needed.put(deadline, longest);
        });
        return needed;
    }

    /** Exponential back-off from 2 s, capped at 5 min, with full jitter so retries of a wave spread out. */
    Duration backoff(int attempt) {
        long capMillis = Math.min(300_000L, 2_000L << Math.min(attempt - 1, 10));
        return Duration.ofMillis(capMillis / 2 + random.nextLong(capMillis / 2 + 1));
    }

    private OutgoingMessage message(ChatPlatform platform, Payload payload) {
        return switch (payload) {
            case Payload.Text t -> new OutgoingMessage.Text(t.text(), t.buttons(), t.mentions());
            case Payload.Tally t -> throw new IllegalStateException("a tally's text is made when it is sent");
            case Payload.Document d -> {
                Material m = material(d.materialId());
                String fileId = files.fileId(platform, m.sha256()).orElse(null);
                yield new OutgoingMessage.Document(m.filename(), m.mediaType(), m.size(), m.sha256(), store.pathOf(m.sha256()),
                        d.caption(), fileId);
            }
        };
    }

    private Material material(long id) {
        Material cached = materials.get(id);
        if (cached != null) return cached;
        Material m = jdbi.withExtension(MaterialDao.class, dao -> dao.find(id))
                .orElseThrow(() -> new IllegalStateException("material " + id + " is gone"));
        materials.put(id, m);
        return m;
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            // sends on their way finish (bounded by the HTTP timeouts) and are recorded, so a clean stop repeats nothing
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) log.warn("sends still in flight at stop; they go out again at the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // another node takes the sending over at once instead of when the lease runs out
        lease.release();
    }
}
