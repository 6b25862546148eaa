package org.convene.meeting;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Attaching documents to meetings: size-limited, type-checked by content, stored once by content. */
public final class MaterialService {
    private final Jdbi jdbi;
    private final Clock clock;
    private final MaterialStore store;
    private final MaterialTypes types;
    private final long maxBytes;

    public MaterialService(Jdbi jdbi, Clock clock, MaterialStore store, MaterialTypes types, long maxBytes) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.store = store;
        this.types = types;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Material attach(String actor, long meetingId, String filename, InputStream content, boolean confidential) {
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(meetingId))
                .orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        String name = cleanName(filename);
        // checked while staged: a refused upload never reaches the store
        var accepted = store.put(content, maxBytes, (staged, size) -> {
            if (size == 0) throw new ConveneException.Invalid("file", "is empty");
            return types.allowedType(staged, name).orElseThrow(() -> new ConveneException.UnsupportedType(
                    "the content of " + name + " is " + types.detect(staged, name) + "; allowed are " + MaterialTypes.allowedList()));
        });
        MaterialStore.Stored stored = accepted.stored();
        String mediaType = accepted.value();
        return jdbi.inTransaction(h -> {
            MaterialDao materials = h.attach(MaterialDao.class);
            long id = materials.insert(meeting.id(), name, mediaType, stored.size(), stored.sha256(), confidential ? 1 : 0, clock.instant());
            AuditLog.record(h, clock.instant(), actor, "material.attached", "material", id, name + " " + stored.sha256());
            return materials.find(id).orElseThrow();
        });
    }

    /**
     * Removes a document attached by mistake, before it was posted: once the meeting's agenda or documents
     * are on their way to a chat (queued, sending or sent) it stays (409). The file stays in the store, which
     * is content-addressed and may hold it for another material.
     */
    public void delete(String actor, long id) {
        jdbi.useTransaction(h -> {
            Material material = h.attach(MaterialDao.class).find(id).orElseThrow(() -> new ConveneException.NotFound("material", id));
            int posted = h.createQuery("""
                    SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND kind IN ('agenda', 'document') AND state <> 'failed'""")
                    .bind("m", material.meetingId()).mapTo(Integer.class).one();
            if (posted > 0) throw new ConveneException.Conflict("material " + id + " has been posted with the agenda of meeting " + material.meetingId());
            Long unitId = h.createQuery("SELECT unit_id FROM meetings WHERE id = :m").bind("m", material.meetingId()).mapTo(Long.class).one();
            h.createUpdate("DELETE FROM topic_materials WHERE material_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM materials WHERE id = :id").bind("id", id).execute();
            AuditLog.record(h, unitId, clock.instant(), actor, "material.deleted", "material", id,
                    material.filename() + " of meeting " + material.meetingId());
        });
    }

    public List<Material> ofMeeting(long meetingId) {
        jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        return jdbi.withExtension(MaterialDao.class, d -> d.ofMeeting(meetingId));
    }

    public Material get(long id) {
        return jdbi.withExtension(MaterialDao.class, d -> d.find(id)).orElseThrow(() -> new ConveneException.NotFound("material", id));
    }

    public Path content(Material material) {
        return store.pathOf(material.sha256());
    }

    /** File names come from browsers and phones: keep the last path segment, drop control characters. */
    public static String cleanName(String filename) {
        String name = filename == null ? "" : filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) name = "document";
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
