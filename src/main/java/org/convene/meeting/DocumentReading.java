package org.convene.meeting;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Members reading their meetings' documents in the browser, signed in: who may read which document
 * (the unit's members; the observer units' members for a confidential one only when the secretary allowed
 * it; those who manage the unit), every opening logged per person and version, and that log and the read
 * receipts for the secretary and the supervisors. A confidential document is only ever shown as page
 * images with the reader's name across them; there is no download of it.
 */
public final class DocumentReading {
    /** Views older than this are not listed on a member's own documents page. */
    private static final java.time.Duration RECENT = java.time.Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final MaterialStore store;

    public DocumentReading(Jdbi jdbi, Clock clock, MaterialStore store) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.store = store;
    }

    /** Who is reading: a person (null for the admin), their name for the watermark, and the units they manage. */
    public record Reader(Long personId, String name, boolean admin, List<Long> managed) {
        public Reader {
            managed = managed == null ? List.of() : List.copyOf(managed);
        }

        boolean manages(long unitId) {
            return admin || managed.contains(unitId);
        }
    }

    /** A document opened: its current version (or the one asked for), its meeting and unit, how many pages. */
    public record Opened(Material material, List<Material> versions, Meeting meeting, Unit unit, int pages, boolean viewable,
                         boolean manages) {}

    /** One line of the access log. */
    public record View(Instant at, Long memberId, String name, long materialId, int version, String kind, Integer page) {}

    /**
     * One member's read receipt for a document: the last version they opened and when (null when never),
     * and whether that is the current version.
     */
    public record Receipt(long memberId, String name, boolean observer, Integer lastVersion, Instant lastOpenedAt, boolean openedCurrent) {}

    /** A document on a member's own list, with its meeting. */
    public record Listed(Material material, Meeting meeting) {}

    /** Kinds of views in the log. */
    public static final String OPENED = "opened";
    public static final String PAGE = "page";
    public static final String DOWNLOADED = "downloaded";

    /**
     * Opens a document (any version's id names it) at its current version, or at {@code versionId} when
     * the reader manages the unit (the secretary looks at history); logged as an opening of that version.
     */
    public Opened open(Reader reader, long documentId, Long versionId) {
        return jdbi.inTransaction(h -> {
            Material material = version(h, documentId, versionId, reader);
            Meeting meeting = requireReader(h, reader, material);
            int pages = MaterialService.VIEWABLE.contains(material.mediaType()) ? PageImages.count(content(material), material.mediaType()) : 0;
            log(h, reader, material, OPENED, null);
            Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
            return new Opened(material, h.attach(MaterialDao.class).versions(material.document()), meeting, unit, pages,
                    MaterialService.VIEWABLE.contains(material.mediaType()), reader.manages(meeting.unitId()));
        });
    }

    /** A page as a PNG with the reader's name and the time across it; every page shown is logged. */
    public byte[] page(Reader reader, long documentId, Long versionId, int page) {
        Material material = jdbi.inTransaction(h -> {
            Material m = version(h, documentId, versionId, reader);
            Meeting meeting = requireReader(h, reader, m);
            if (!MaterialService.VIEWABLE.contains(m.mediaType())) {
                throw new ConveneException.UnsupportedType(m.filename() + " is " + MaterialTypes.label(m.mediaType())
                        + ", which is not shown page by page; download it instead");
            }
            log(h, reader, m, PAGE, page);
            return m;
        });
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(material.meetingId()).orElseThrow());
        String at = ZonedDateTime.ofInstant(clock.instant(), java.time.ZoneId.of(meeting.zone())).format(DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm"));
        return PageImages.render(content(material), material.mediaType(), page, reader.name() + " · " + at);
    }

    /** The file of a document that is not confidential, for download; a confidential one has none. */
    public Material download(Reader reader, long documentId) {
        return jdbi.inTransaction(h -> {
            Material m = version(h, documentId, null, reader);
            requireReader(h, reader, m);
            if (m.confidential()) {
                throw new ConveneException.NotAllowed(m.filename() + " is confidential: it is read in the browser only, page by page, and is not downloaded",
                        "document_confidential");
            }
            log(h, reader, m, DOWNLOADED, null);
            return m;
        });
    }

    /**
     * A manager's download of the file itself (the API's content route, the editor's link): of a confidential
     * document it is logged like any reader's, since every access to one belongs in its log. The caller's right
     * to the meeting is checked where the route names it.
     */
    public void recordManagerDownload(Reader reader, Material material) {
        if (!material.confidential()) return;
        jdbi.useHandle(h -> log(h, reader, material, DOWNLOADED, null));
    }

    /**
     * A download from the meeting's materials page by someone signed in: recorded as their opening of
     * that version when they may read it (the page itself needs no sign-in, so anyone else leaves no trace).
     */
    public boolean recordFromPage(Reader reader, Material material) {
        return jdbi.inTransaction(h -> {
            Meeting meeting = new MeetingDao(h).find(material.meetingId()).orElseThrow();
            if (reader.personId() == null || !mayRead(h, reader, meeting, material)) return false;
            log(h, reader, material, DOWNLOADED, null);
            return true;
        });
    }

    /** The unit's members who have not opened the current version of the document (the chase of readers names them). */
    public static List<Long> notOpened(Handle h, Meeting meeting, Material current) {
        return receipts(h, meeting, current).stream().filter(r -> !r.observer() && !r.openedCurrent()).map(Receipt::memberId).toList();
    }

    public Path content(Material material) {
        return store.pathOf(material.sha256());
    }

    /** The current version of a document, for those who manage its unit (nothing is logged: nobody read it). */
    public Material currentFor(Reader reader, long documentId) {
        return jdbi.withHandle(h -> {
            Material m = version(h, documentId, null, reader);
            requireManager(h, reader, m);
            return m;
        });
    }

    /** Every view of every version of the document, the latest first: for those who manage its unit. */
    public List<View> log(Reader reader, long documentId) {
        return jdbi.withHandle(h -> {
            Material m = version(h, documentId, null, reader);
            requireManager(h, reader, m);
            return h.createQuery("""
                            SELECT v.at, v.person_id, v.viewer_name, v.material_id, mt.version, v.kind, v.page
                            FROM document_views v JOIN materials mt ON mt.id = v.material_id
                            WHERE COALESCE(mt.document_id, mt.id) = :d ORDER BY v.at DESC, v.id DESC""")
                    .bind("d", m.document())
                    .map((rs, ctx) -> new View(Instant.ofEpochMilli(rs.getLong(1)), nullableLong(rs, 2), rs.getString(3), rs.getLong(4),
                            rs.getInt(5), rs.getString(6), nullableInt(rs, 7)))
                    .list();
        });
    }

    /**
     * Per member of the unit (then the observer units' members who may read it), the last version they
     * opened: who opened the document, and who has not, for those who manage the unit.
     */
    public List<Receipt> receipts(Reader reader, long documentId) {
        return jdbi.withHandle(h -> {
            Material m = version(h, documentId, null, reader);
            Meeting meeting = requireManager(h, reader, m);
            return receipts(h, meeting, m);
        });
    }

    /** The receipts of the current version of a document, without an access check (the chase uses them). */
    static List<Receipt> receipts(Handle h, Meeting meeting, Material current) {
        Map<Long, Object[]> last = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT v.person_id, mt.version, v.at FROM document_views v JOIN materials mt ON mt.id = v.material_id
                        WHERE COALESCE(mt.document_id, mt.id) = :d AND v.person_id IS NOT NULL ORDER BY v.at, v.id""")
                .bind("d", current.document())
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))}).list()
                .forEach(row -> last.put((Long) row[0], row));
        List<Receipt> receipts = new ArrayList<>();
        MemberDao members = new MemberDao(h);
        List<Long> seen = new ArrayList<>();
        for (Member member : members.ofUnit(meeting.unitId())) {
            seen.add(member.id());
            receipts.add(receipt(member, false, last.get(member.id()), current));
        }
        if (!current.confidential() || current.observersMayView()) {
            for (long unit : meeting.observerUnitIds()) {
                for (Member member : members.ofUnit(unit)) {
                    if (seen.contains(member.id())) continue;
                    seen.add(member.id());
                    receipts.add(receipt(member, true, last.get(member.id()), current));
                }
            }
        }
        return receipts;
    }

    private static Receipt receipt(Member member, boolean observer, Object[] last, Material current) {
        if (last == null) return new Receipt(member.id(), member.name(), observer, null, null, false);
        int version = (Integer) last[1];
        return new Receipt(member.id(), member.name(), observer, version, (Instant) last[2], version == current.version());
    }

    /** The current documents of the reader's units' meetings from a month ago on, the soonest meeting first. */
    public List<Listed> mine(Reader reader) {
        if (reader.personId() == null) return List.of();
        Instant since = clock.instant().minus(RECENT);
        return jdbi.withHandle(h -> {
            List<Long> units = new ArrayList<>(new MemberDao(h).rolesOf(reader.personId()).keySet());
            if (units.isEmpty()) return List.<Listed>of();
            List<Listed> listed = new ArrayList<>();
            List<Long> meetings = h.createQuery("""
                            SELECT DISTINCT m.id, m.starts_at FROM meetings m LEFT JOIN meeting_observers o ON o.meeting_id = m.id
                            WHERE (m.unit_id IN (<units>) OR o.unit_id IN (<units>)) AND m.starts_at >= :since AND m.status <> 'cancelled'
                            ORDER BY m.starts_at, m.id""")
                    .bindList("units", units).bind("since", since).map((rs, ctx) -> rs.getLong(1)).list();
            MeetingDao meetingDao = new MeetingDao(h);
            MaterialDao materials = h.attach(MaterialDao.class);
            for (long id : meetings) {
                Meeting meeting = meetingDao.find(id).orElseThrow();
                for (Material m : materials.ofMeeting(id)) {
                    if (mayRead(h, reader, meeting, m)) listed.add(new Listed(m, meeting));
                }
            }
            return listed;
        });
    }

    /** The document's current version, or the version asked for (history is for those who manage the unit). */
    private Material version(Handle h, long documentId, Long versionId, Reader reader) {
        MaterialDao materials = h.attach(MaterialDao.class);
        Material any = materials.find(documentId).orElseThrow(() -> new ConveneException.NotFound("document", documentId));
        Material current = materials.current(any.document()).orElseThrow(() -> new ConveneException.NotFound("document", documentId));
        if (versionId == null || versionId == current.id()) return current;
        Material asked = materials.find(versionId).filter(v -> v.document() == current.document())
                .orElseThrow(() -> new ConveneException.NotFound("version", versionId));
        Meeting meeting = new MeetingDao(h).find(asked.meetingId()).orElseThrow();
        if (!reader.manages(meeting.unitId())) throw new ConveneException.NotAllowed("earlier versions are for the secretary; this is the current one");
        return asked;
    }

    private Meeting requireReader(Handle h, Reader reader, Material material) {
        Meeting meeting = new MeetingDao(h).find(material.meetingId()).orElseThrow();
        if (!mayRead(h, reader, meeting, material)) {
            throw new ConveneException.NotAllowed("only the members of the meeting's unit read " + material.filename()
                    + (material.confidential() ? "; it is confidential" : ""));
        }
        return meeting;
    }

    private static boolean mayRead(Handle h, Reader reader, Meeting meeting, Material material) {
        if (reader.manages(meeting.unitId())) return true;
        if (reader.personId() == null) return false;
        Map<Long, Role> roles = new MemberDao(h).rolesOf(reader.personId());
        if (roles.containsKey(meeting.unitId())) return true;
        boolean observer = meeting.observerUnitIds().stream().anyMatch(roles::containsKey);
        return observer && (!material.confidential() || material.observersMayView());
    }

    private Meeting requireManager(Handle h, Reader reader, Material material) {
        Meeting meeting = new MeetingDao(h).find(material.meetingId()).orElseThrow();
        if (!reader.manages(meeting.unitId())) {
            throw new ConveneException.NotAllowed("who read a document is for the unit's secretary and its supervisors");
        }
        return meeting;
    }

    private void log(Handle h, Reader reader, Material material, String kind, Integer page) {
        h.createUpdate("""
                INSERT INTO document_views (material_id, person_id, viewer_name, kind, page, at)
                VALUES (:m, :p, :name, :kind, :page, :at)""")
                .bind("m", material.id()).bind("p", reader.personId()).bind("name", reader.name()).bind("kind", kind).bind("page", page)
                .bind("at", clock.instant()).execute();
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
