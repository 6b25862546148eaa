package org.convene.meeting;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Each meeting's materials page: an unguessable address ({@code /m/<token>}) that lists the meeting's
 * non-confidential documents for download on a phone, open without signing in until {@link #validAfter}
 * after the meeting's end. It stands in for the documents on a platform that cannot post files (Zalo's Bot
 * Platform): the agenda carries the link instead. The token is the only credential, so it is long (192
 * random bits) and a page never lists a confidential document.
 */
public final class MaterialsPageService {
    /** Where the page lives; the token follows. */
    public static final String PATH = "/m/";
    /** Members open the documents again in the days after the meeting (the minutes, a task); a week is the default. */
    public static final Duration DEFAULT_VALID_AFTER = Duration.ofDays(7);
    private static final int TOKEN_BYTES = 24;
    /** Pictures a platform may fetch from the page by address (Zalo Bot's sendPhoto). */
    public static final java.util.Set<String> PHOTO_TYPES = java.util.Set.of("image/png", "image/jpeg");

    private final Jdbi jdbi;
    private final Clock clock;
    private final RandomGenerator random;
    private final Supplier<String> publicUrl;
    private final Duration validAfter;
    private final MaterialStore store;

    /** @param publicUrl the address users' links point to, asked each time (the port is known only after start) */
    public MaterialsPageService(Jdbi jdbi, Clock clock, RandomGenerator random, MaterialStore store, Supplier<String> publicUrl,
                                Duration validAfter) {
        if (validAfter.isNegative()) throw new IllegalArgumentException("validAfter must not be negative");
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.publicUrl = publicUrl;
        this.validAfter = validAfter;
        this.store = store;
    }

    /** A meeting's page address and until when it opens. */
    public record Link(long meetingId, String token, String url, Instant expiresAt) {
        @Override
        public String toString() {
            return "Link[meeting=" + meetingId + ", token=<redacted>, expiresAt=" + expiresAt + "]";
        }
    }

    /** What the page shows: the meeting, its unit, the documents members may download, and until when. */
    public record Page(Meeting meeting, Unit unit, List<Material> materials, Instant expiresAt) {}

    /** The meeting's link, made at the first call and the same ever after. */
    public Link link(long meetingId) {
        return jdbi.inTransaction(h -> link(h, meetingId));
    }

    /** The meeting's link inside the caller's transaction (an agenda being written to the outbox). */
    public Link link(Handle h, long meetingId) {
        Meeting meeting = new MeetingDao(h).find(meetingId).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        String token = tokenOf(h, meetingId).orElseGet(() -> {
            // a concurrent first call may win the insert: then its token is the one read back
            h.createUpdate("INSERT INTO materials_pages (meeting_id, token, created_at) VALUES (:m, :t, :now) ON CONFLICT DO NOTHING")
                    .bind("m", meetingId).bind("t", newToken()).bind("now", clock.instant()).execute();
            return tokenOf(h, meetingId).orElseThrow();
        });
        return new Link(meetingId, token, url(token), expiresAt(meeting));
    }

    /**
     * The page behind a token: {@link ConveneException.NotFound} for a token that names no page (the same
     * answer whether it never existed or its meeting is gone), {@link ConveneException.Gone} once it has expired.
     */
    public Page open(String token) {
        return jdbi.withHandle(h -> {
            Meeting meeting = meetingOf(h, token);
            Instant expires = expiresAt(meeting);
            if (!clock.instant().isBefore(expires)) throw new ConveneException.Gone("this materials page closed on " + expires);
            Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
            List<Material> shown = h.attach(MaterialDao.class).ofMeeting(meeting.id()).stream().filter(m -> !m.confidential()).toList();
            return new Page(meeting, unit, shown, expires);
        });
    }

    /** One document of an open page; a confidential one, or one of another meeting, does not exist here. */
    public Material material(String token, long materialId) {
        Page page = open(token);
        return page.materials().stream().filter(m -> m.id() == materialId).findFirst()
                .orElseThrow(() -> new ConveneException.NotFound("document", materialId));
    }

    /**
     * A public address of a picture with these bytes, on a materials page open now: what a platform that
     * fetches pictures by address (Zalo Bot's sendPhoto) is given. Never a confidential material's.
     */
    public Optional<String> photoUrl(String sha256) {
        return jdbi.withHandle(h -> {
            List<long[]> candidates = h.createQuery("""
                            SELECT m.id, m.meeting_id FROM materials m JOIN materials_pages p ON p.meeting_id = m.meeting_id
                            WHERE m.sha256 = :sha AND m.confidential = 0 ORDER BY m.id DESC""")
                    .bind("sha", sha256).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
            for (long[] c : candidates) {
                Optional<Meeting> meeting = new MeetingDao(h).find(c[1]);
                Optional<Material> material = h.attach(MaterialDao.class).find(c[0]);
                if (meeting.isEmpty() || material.isEmpty() || !PHOTO_TYPES.contains(material.get().mediaType())) continue;
                if (!clock.instant().isBefore(expiresAt(meeting.get()))) continue;
                return Optional.of(url(tokenOf(h, c[1]).orElseThrow()) + "/" + c[0]);
            }
            return Optional.<String>empty();
        });
    }

    /** Where a document's bytes are, for the page's download. */
    public Path content(Material material) {
        return store.pathOf(material.sha256());
    }

    public Duration validAfter() {
        return validAfter;
    }

    /** The end of the meeting plus {@link #validAfter}: a moved meeting moves its page's end with it. */
    private Instant expiresAt(Meeting meeting) {
        return meeting.startsAt().plus(Duration.ofMinutes(meeting.durationMinutes())).plus(validAfter);
    }

    private Meeting meetingOf(Handle h, String token) {
        // only the shape of a token is looked up: anything else cannot name a page
        if (token == null || !token.matches("[A-Za-z0-9_-]{16,64}")) throw new ConveneException.NotFound("materials page", "at this address");
        long meetingId = h.createQuery("SELECT meeting_id FROM materials_pages WHERE token = :t").bind("t", token).mapTo(Long.class).findOne()
                .orElseThrow(() -> new ConveneException.NotFound("materials page", "at this address"));
        return new MeetingDao(h).find(meetingId).orElseThrow(() -> new ConveneException.NotFound("materials page", "at this address"));
    }

    private static Optional<String> tokenOf(Handle h, long meetingId) {
        return h.createQuery("SELECT token FROM materials_pages WHERE meeting_id = :m").bind("m", meetingId).mapTo(String.class).findOne();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String url(String token) {
        return publicUrl.get().replaceAll("/+$", "") + PATH + token;
    }
}
