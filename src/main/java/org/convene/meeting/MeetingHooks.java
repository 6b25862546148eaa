package org.convene.meeting;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What other features do when a meeting is created, changed or cancelled, inside the same transaction
 * (the schedule feature plans reminders here). Implemented outside this package so the arrows point in.
 */
public interface MeetingHooks {
    /** {@code plan} is null when the request named no reminders (the default plan applies). */
    void created(Handle handle, Meeting meeting, List<Requests.ReminderRequest> plan);

    /** {@code plan} is null when the change did not touch the reminders. */
    void changed(Handle handle, Meeting before, Meeting after, List<Requests.ReminderRequest> plan);

    void cancelled(Handle handle, Meeting meeting);

    /** A cancelled meeting is on again: its reminders are planned again and chats told of the cancellation hear it is back on. */
    void reinstated(Handle handle, Meeting meeting);

    /** Checks a reminder plan before anything is written; throws {@link ConveneException.Invalid}. */
    void validatePlan(List<Requests.ReminderRequest> plan);

    MeetingHooks NONE = new MeetingHooks() {
        public void created(Handle h, Meeting m, List<Requests.ReminderRequest> p) {}
        public void changed(Handle h, Meeting b, Meeting a, List<Requests.ReminderRequest> p) {}
        public void cancelled(Handle h, Meeting m) {}
        public void reinstated(Handle h, Meeting m) {}
        public void validatePlan(List<Requests.ReminderRequest> p) {}
    };
}
