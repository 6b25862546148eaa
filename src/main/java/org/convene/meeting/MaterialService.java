package org.convene.meeting;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/**
 * Attaching documents to meetings: size-limited, type-checked by content, stored once by content. A
 * document attached after the agenda went out is posted on its own; replacing one makes a new version
 * and keeps the old one in its history.
 */
public final class MaterialService {
    /**
     * What can be shown page by page in the browser. A Word file would need an office suite to render
     * faithfully (none is bundled), so a confidential document must be a PDF or an image.
     */
    public static final Set<String> VIEWABLE = Set.of("application/pdf", "image/png", "image/jpeg");

    private final Jdbi jdbi;
    private final Clock clock;
    private final MaterialStore store;
    private final MaterialTypes types;
    private final long maxBytes;
    private final MaterialHooks hooks;
    private final Runnable deliveriesAdded;

    public MaterialService(Jdbi jdbi, Clock clock, MaterialStore store, MaterialTypes types, long maxBytes) {
        this(jdbi, clock, store, types, maxBytes, MaterialHooks.NONE, () -> {});
    }

    /** @param deliveriesAdded run after a commit that posted something (wakes the dispatcher) */
    public MaterialService(Jdbi jdbi, Clock clock, MaterialStore store, MaterialTypes types, long maxBytes, MaterialHooks hooks,
                           Runnable deliveriesAdded) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.store = store;
        this.types = types;
        this.maxBytes = maxBytes;
        this.hooks = hooks;
        this.deliveriesAdded = deliveriesAdded;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** How a document is to be shared: confidential (viewed in the browser only), and then whether observers may view it too. */
    public record Sharing(boolean confidential, boolean observersMayView) {
        public static final Sharing OPEN = new Sharing(false, false);
    }

    public Material attach(String actor, long meetingId, String filename, InputStream content, boolean confidential) {
        return attach(actor, meetingId, filename, content, new Sharing(confidential, false));
    }

    /** Attaches a document; when the meeting's agenda went out already, it is posted to the chats at once. */
    public Material attach(String actor, long meetingId, String filename, InputStream content, Sharing sharing) {
        Meeting meeting = meeting(meetingId);
        String name = cleanName(filename);
        Checked checked = check(name, content, sharing.confidential());
        Material material = jdbi.inTransaction(h -> {
            MaterialDao materials = h.attach(MaterialDao.class);
            Instant now = clock.instant();
            long id = materials.insert(meeting.id(), name, checked.mediaType(), checked.stored().size(), checked.stored().sha256(),
                    sharing.confidential() ? 1 : 0, now, sharing.confidential() && sharing.observersMayView() ? 1 : 0);
            materials.ownDocument(id);
            Material attached = materials.find(id).orElseThrow();
            AuditLog.record(h, now, actor, "material.attached", "material", id, name + " " + checked.stored().sha256());
            if (open(meeting, now) && hooks.agendaWentOut(h, meeting) && hooks.postedLate(h, meeting, attached) > 0) {
                h.afterCommit(deliveriesAdded);
            }
            return attached;
        });
        return material;
    }

    /**
     * A new version of a document: the one given must be its current version (of two replacements racing,
     * the second is refused). When the document was posted already, the chats are told, and those who
     * acknowledged the papers before are asked again.
     */
    public Material replace(String actor, long materialId, String filename, InputStream content) {
        Material previous = get(materialId);
        if (!previous.current()) {
            throw new ConveneException.Conflict("version " + previous.version() + " of " + previous.filename()
                    + " was replaced already; replace its current version");
        }
        Meeting meeting = meeting(previous.meetingId());
        String name = cleanName(filename);
        Checked checked = check(name, content, previous.confidential());
        return jdbi.inTransaction(h -> {
            MaterialDao materials = h.attach(MaterialDao.class);
            Instant now = clock.instant();
            if (materials.markReplaced(previous.id(), now) == 0) {
                throw new ConveneException.Conflict(previous.filename() + " was replaced meanwhile; replace its current version");
            }
            long id = materials.insertVersion(meeting.id(), name, checked.mediaType(), checked.stored().size(), checked.stored().sha256(),
                    previous.confidential() ? 1 : 0, now, previous.document(), previous.version() + 1, previous.observersMayView() ? 1 : 0);
            Material current = materials.find(id).orElseThrow();
            AuditLog.record(h, now, actor, "material.replaced", "material", id,
                    "version " + current.version() + " of document " + current.document() + ": " + name + " " + checked.stored().sha256());
            if (open(meeting, now) && hooks.agendaWentOut(h, meeting)) {
                // acknowledgements given before this count as of an older version from now on
                h.createUpdate("UPDATE meetings SET documents_revision = documents_revision + 1 WHERE id = :id").bind("id", meeting.id()).execute();
                if (hooks.replaced(h, meeting, previous, current) > 0) h.afterCommit(deliveriesAdded);
            }
            return current;
        });
    }

    /** What a reminder to read did: the chats it went to and how many members it names. */
    public record Reminded(int chats, int notOpened) {}

    /**
     * Reminds the unit's members who have not opened the current version of a document, by name in the
     * unit's chats (where mentions reach them); nothing is sent when all have. Refused for meetings
     * cancelled or begun.
     */
    public Reminded remindToRead(String actor, long materialId) {
        Material any = get(materialId);
        Meeting meeting = meeting(any.meetingId());
        Instant now = clock.instant();
        if (!open(meeting, now)) throw new ConveneException.Conflict("meeting " + meeting.id() + " is cancelled or has begun");
        Reminded reminded = jdbi.inTransaction(h -> {
            Material current = h.attach(MaterialDao.class).current(any.document()).orElseThrow();
            List<Long> persons = DocumentReading.notOpened(h, meeting, current);
            if (persons.isEmpty()) return new Reminded(0, 0);
            int chats = hooks.remindToRead(h, meeting, current, persons, "read:" + current.id() + ":" + now.toEpochMilli());
            AuditLog.record(h, now, actor, "material.reminded", "material", current.id(), persons.size() + " members, " + chats + " chats");
            return new Reminded(chats, persons.size());
        });
        if (reminded.chats() > 0) deliveriesAdded.run();
        return reminded;
    }

    /** Every version of the document {@code materialId} belongs to, the first first. */
    public List<Material> versions(long materialId) {
        Material material = get(materialId);
        return jdbi.withExtension(MaterialDao.class, d -> d.versions(material.document()));
    }

    /** What the platforms of the meeting's chats will not take of this document, each naming the platform. */
    public List<MaterialHooks.Warning> limits(Material material) {
        Meeting meeting = meeting(material.meetingId());
        return jdbi.withHandle(h -> hooks.limits(h, meeting, material));
    }

    /**
     * Removes a document attached by mistake, before it was posted: once the meeting's agenda or documents
     * are on their way to a chat (queued, sending or sent) it stays (409). The file stays in the store, which
     * is content-addressed and may hold it for another material.
     */
    public void delete(String actor, long id) {
        jdbi.useTransaction(h -> {
            Material material = h.attach(MaterialDao.class).find(id).orElseThrow(() -> new ConveneException.NotFound("material", id));
            // a document goes with all its versions; one a member has already opened stays, with its access log
            List<Long> versions = h.attach(MaterialDao.class).versions(material.document()).stream().map(Material::id).toList();
            int viewed = h.createQuery("SELECT COUNT(*) FROM document_views WHERE material_id IN (<ids>)").bindList("ids", versions)
                    .mapTo(Integer.class).one();
            if (viewed > 0) throw new ConveneException.Conflict("material " + id + " has been opened by members; its access log is kept", "material_delete_opened");
            int posted = h.createQuery("""
                    SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND kind IN ('agenda', 'document') AND state <> 'failed'""")
                    .bind("m", material.meetingId()).mapTo(Integer.class).one();
            if (posted > 0) throw new ConveneException.Conflict("material " + id + " has been posted with the agenda of meeting " + material.meetingId(), "material_delete_posted");
            Long unitId = h.createQuery("SELECT unit_id FROM meetings WHERE id = :m").bind("m", material.meetingId()).mapTo(Long.class).one();
            h.createUpdate("DELETE FROM topic_materials WHERE material_id IN (<ids>)").bindList("ids", versions).execute();
            h.createUpdate("DELETE FROM materials WHERE id IN (<ids>)").bindList("ids", versions).execute();
            AuditLog.record(h, unitId, clock.instant(), actor, "material.deleted", "material", id,
                    material.filename() + " of meeting " + material.meetingId());
        });
    }

    /** The current versions of the meeting's documents. */
    public List<Material> ofMeeting(long meetingId) {
        meeting(meetingId);
        return jdbi.withExtension(MaterialDao.class, d -> d.ofMeeting(meetingId));
    }

    public Material get(long id) {
        return jdbi.withExtension(MaterialDao.class, d -> d.find(id)).orElseThrow(() -> new ConveneException.NotFound("material", id));
    }

    public Path content(Material material) {
        return store.pathOf(material.sha256());
    }

    /** The revision of the meeting's posted documents: each replacement after the agenda went out adds one. */
    public int documentsRevision(long meetingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT documents_revision FROM meetings WHERE id = :id").bind("id", meetingId)
                .mapTo(Integer.class).findOne().orElse(0));
    }

    private record Checked(MaterialStore.Stored stored, String mediaType) {}

    /** Checked while staged: a refused upload never reaches the store. */
    private Checked check(String name, InputStream content, boolean confidential) {
        var accepted = store.put(content, maxBytes, (staged, size) -> {
            if (size == 0) throw new ConveneException.Invalid("file", "is empty");
            String mediaType = types.allowedType(staged, name).orElseThrow(() -> new ConveneException.UnsupportedType(
                    "the content of " + name + " is " + types.detect(staged, name) + "; allowed are " + MaterialTypes.allowedList()));
            if (confidential && !VIEWABLE.contains(mediaType)) {
                throw new ConveneException.UnsupportedType("a confidential document is shown in the browser page by page, which works for "
                        + "PDF, PNG and JPEG; " + name + " is " + MaterialTypes.label(mediaType) + ": save it as PDF and attach that");
            }
            return mediaType;
        });
        return new Checked(accepted.stored(), accepted.value());
    }

    /** Whether documents still go to the chats: the meeting is neither cancelled nor begun. */
    private static boolean open(Meeting meeting, Instant now) {
        return !meeting.cancelled() && meeting.startsAt().isAfter(now);
    }

    private Meeting meeting(long meetingId) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
    }

    /** File names come from browsers and phones: keep the last path segment, drop control characters. */
    public static String cleanName(String filename) {
        String name = filename == null ? "" : filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) name = "document";
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
