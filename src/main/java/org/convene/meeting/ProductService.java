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
    private final MaterialStore store;
    private final MaterialTypes types;
    private final long maxBytes;

    public ProductService(Jdbi jdbi, Clock clock, MaterialStore store, MaterialTypes types, long maxBytes) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.store = store;
        this.types = types;
        this.maxBytes = maxBytes;
    }

    /** A product; {@code file} is set when it came as a file (download it at {@code /api/v1/products/{id}/content}). */
    public record Product(long id, long meetingId, String kind, String title, String url, Instant createdAt, ProductFile file) {}

    public record ProductFile(String filename, String mediaType, long size, String sha256) {}

    public record ProductRequest(String kind, String title, String url) {}

    public Product add(String actor, long meetingId, ProductRequest r) {
        return add(actor, meetingId, r, null, null);
    }

    /**
     * A product with its file: size-limited and type-checked by content like any material (PDF, office
     * documents, images, text; a video is given as a link).
     */
    public Product add(String actor, long meetingId, ProductRequest r, String filename, java.io.InputStream content) {
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
        ProductFile file = null;
        if (content != null) {
            String name = MaterialService.cleanName(filename);
            // checked while staged: a refused upload never reaches the store
            var accepted = store.put(content, maxBytes, (staged, size) -> {
                if (size == 0) throw new ConveneException.Invalid("file", "is empty");
                return types.allowedType(staged, name).orElseThrow(() -> new ConveneException.UnsupportedType(
                        "the content of " + name + " is " + types.detect(staged, name) + "; allowed are " + MaterialTypes.allowedList()
                                + " (give a video as a link)"));
            });
            file = new ProductFile(name, accepted.value(), accepted.stored().size(), accepted.stored().sha256());
        }
        Instant now = clock.instant();
        ProductFile f = file;
        return jdbi.inTransaction(h -> {
            int count = h.createQuery("SELECT COUNT(*) FROM products WHERE meeting_id = :m").bind("m", meetingId).mapTo(Integer.class).one();
            if (count >= MAX_PER_MEETING) throw new ConveneException.Conflict("a thematic session records at most " + MAX_PER_MEETING + " products");
            long id = h.createUpdate("""
                    INSERT INTO products (meeting_id, kind, title, url, created_at, filename, media_type, size, sha256)
                    VALUES (:m, :k, :t, :u, :now, :fn, :mt, :size, :sha)""")
                    .bind("m", meetingId).bind("k", r.kind()).bind("t", title).bind("u", r.url()).bind("now", now)
                    .bind("fn", f == null ? null : f.filename()).bind("mt", f == null ? null : f.mediaType())
                    .bind("size", f == null ? null : f.size()).bind("sha", f == null ? null : f.sha256())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            AuditLog.record(h, now, actor, "product.added", "meeting", meetingId, r.kind() + " " + title);
            return new Product(id, meetingId, r.kind(), title, r.url(), now, f);
        });
    }

    public Product get(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM products WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne())
                .orElseThrow(() -> new ConveneException.NotFound("product", id));
    }

    public java.nio.file.Path content(ProductFile file) {
        return store.pathOf(file.sha256());
    }

    private static Product row(java.sql.ResultSet rs) throws java.sql.SQLException {
        ProductFile file = rs.getString("sha256") == null ? null
                : new ProductFile(rs.getString("filename"), rs.getString("media_type"), rs.getLong("size"), rs.getString("sha256"));
        return new Product(rs.getLong("id"), rs.getLong("meeting_id"), rs.getString("kind"), rs.getString("title"), rs.getString("url"),
                Instant.ofEpochMilli(rs.getLong("created_at")), file);
    }

    public List<Product> ofMeeting(long meetingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM products WHERE meeting_id = :m ORDER BY id").bind("m", meetingId)
                .map((rs, ctx) -> row(rs)).list());
    }
}
