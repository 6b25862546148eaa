package org.convene.meeting;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What other features do when a document is attached or replaced, inside the same transaction: the
 * delivery side posts a document that comes after the agenda went out, tells the chats of a new version
 * and asks again those who acknowledged an older one. Implemented outside this package so the arrows point in.
 */
public interface MaterialHooks {
    /** A platform of the unit's chats that will not take this document as a file; it goes there as a link. */
    record Warning(String platform, String message) {}

    /** The agenda of this meeting has gone out to its chats (later documents are posted on their own). */
    boolean agendaWentOut(Handle h, Meeting meeting);

    /** A document attached after the agenda went out: posted to the chats with a short notice. Returns the deliveries added. */
    int postedLate(Handle h, Meeting meeting, Material material);

    /**
     * A posted document replaced: the chats are told and get the new version, and the members who had
     * acknowledged an older one are asked again. Returns the deliveries added.
     */
    int replaced(Handle h, Meeting meeting, Material previous, Material current);

    /** Reminds, in the unit's chats, the members named who have not opened the document's current version. Returns the deliveries added. */
    int remindToRead(Handle h, Meeting meeting, Material current, List<Long> personIds, String key);

    /** What the platforms of the meeting's chats will not take of this document. */
    List<Warning> limits(Handle h, Meeting meeting, Material material);

    MaterialHooks NONE = new MaterialHooks() {
        public boolean agendaWentOut(Handle h, Meeting m) {
            return false;
        }

        public int postedLate(Handle h, Meeting m, Material d) {
            return 0;
        }

        public int replaced(Handle h, Meeting m, Material p, Material c) {
            return 0;
        }

        public int remindToRead(Handle h, Meeting m, Material c, List<Long> p, String k) {
            return 0;
        }

        public List<Warning> limits(Handle h, Meeting m, Material d) {
            return List.of();
        }
    };
}
