package org.convene.meeting;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** What a thematic session produced: an article, a post, a video, a podcast, a presentation, a photo series. */
public final class ProductService {
    public static final Set<String> KINDS = Set.of("article", "post", "video", "podcast", "presentation", "photos");
    /** A thematic session makes one to three products. */
    public static final int MAX_PER_MEETING = 3;

    private final Jdbi jdbi;
    private final Clock clock;

    public ProductService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record Product(long id, long meetingId, String kind, String title, String url, Instant createdAt) {}

    public record ProductRequest(String kind, String title, String url) {}

    public Product add(String actor, long meetingId, ProductRequest r) {
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        List<FieldError> errors = new ArrayList<>();
        if (r.kind() == null || !KINDS.contains(r.kind())) errors.add(new FieldError("kind", "must be one of article, post, video, podcast, presentation, photos"));
        String title = r.title() == null ? "" : r.title().strip();
        if (title.isEmpty()) errors.add(new FieldError("title", "is required"));
        if (title.length() > 300) errors.add(new FieldError("title", "is longer than 300 characters"));
        if (r.url() != null && !r.url().matches("https?://\\S{1,990}")) errors.add(new FieldError("url", "must be an http(s) address"));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        if (meeting.kind() != MeetingKind.THEMATIC) throw new ConveneException.Conflict("products are recorded for thematic sessions; meeting " + meetingId + " is " + meeting.kind().wire());
        if (meeting.cancelled()) throw new ConveneException.Conflict("meeting " + meetingId + " is cancelled");
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            int count = h.createQuery("SELECT COUNT(*) FROM products WHERE meeting_id = :m").bind("m", meetingId).mapTo(Integer.class).one();
            if (count >= MAX_PER_MEETING) throw new ConveneException.Conflict("a thematic session records at most " + MAX_PER_MEETING + " products");
            long id = h.createUpdate("INSERT INTO products (meeting_id, kind, title, url, created_at) VALUES (:m, :k, :t, :u, :now)")
                    .bind("m", meetingId).bind("k", r.kind()).bind("t", title).bind("u", r.url()).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            AuditLog.record(h, now, actor, "product.added", "meeting", meetingId, r.kind() + " " + title);
            return new Product(id, meetingId, r.kind(), title, r.url(), now);
        });
    }

    public List<Product> ofMeeting(long meetingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM products WHERE meeting_id = :m ORDER BY id").bind("m", meetingId)
                .map((rs, ctx) -> new Product(rs.getLong("id"), meetingId, rs.getString("kind"), rs.getString("title"), rs.getString("url"),
                        Instant.ofEpochMilli(rs.getLong("created_at")))).list());
    }
}
