package org.convene.response;

import java.time.Instant;
import java.util.List;

/** Attendance over a period for a unit and every unit below it: per meeting, per member, and per unit by month and quarter. */
public record AttendanceReport(long unitId, Instant from, Instant to, double target, List<MeetingRow> meetings,
                               List<MemberRow> members, List<UnitRow> units) {

    /**
     * Present ÷ invited, and present ÷ (invited − excused); null when nobody was invited. {@code exempt}:
     * members on the roster exempt from activity that day, counted apart and never in {@code invited}.
     */
    public record Counts(int invited, int present, int excused, int absent, int exempt) {
        public Double rate() {
            return invited == 0 ? null : round((double) present / invited);
        }

        public Double rateExcludingExcused() {
            return invited - excused <= 0 ? null : round((double) present / (invited - excused));
        }

        Counts plus(Counts o) {
            return new Counts(invited + o.invited, present + o.present, excused + o.excused, absent + o.absent, exempt + o.exempt);
        }

        static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        private static double round(double v) {
            return Math.round(v * 10000) / 10000.0;
        }
    }

    public record MeetingRow(long meetingId, long unitId, String unitName, String title, String kind, String startsAt,
                             int invited, int present, int excused, int absent, Double rate, Double rateExcludingExcused,
                             boolean belowTarget, boolean confirmed, int exempt) {}

    public record MemberRow(long meetingId, String startsAt, long unitId, String unitName, long memberId, String name, String status,
                            boolean confirmed, String rsvp, String reasonCode, String reason) {}

    /**
     * A unit's period: {@code 2026-11} or {@code 2026-Q4}; a unit with children sums its subtree.
     * {@code answersBefore}: members who acknowledged before their meeting began.
     */
    public record UnitRow(long unitId, String name, Long parentId, String period, int meetings, int thematic, int invited, int present,
                          int excused, int absent, Double rate, Double rateExcludingExcused, boolean belowTarget, boolean noMeeting,
                          int products, int topicsCovered, int answersBefore, int exempt) {}

    /** What a meeting adds to its unit's period besides attendance. */
    record Extras(int meetings, int thematic, int products, int topics, int answersBefore) {
        static final Extras ZERO = new Extras(0, 0, 0, 0, 0);

        Extras plus(Extras o) {
            return new Extras(meetings + o.meetings, thematic + o.thematic, products + o.products, topics + o.topics, answersBefore + o.answersBefore);
        }
    }
}
