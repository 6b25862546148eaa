package org.convene.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Series, their segments, and which meetings they made. */
final class SeriesDao {
    /** Segment definitions are JSON in the database; dates and times as ISO text. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Handle h;

    SeriesDao(Handle handle) {
        this.h = handle;
    }

    /** A meeting a series made, as the series sees it. */
    record Made(long meetingId, LocalDate occurrenceDate, boolean exception, String status, Instant startsAt) {}

    long insert(long unitId, String zone, Instant now) {
        return h.createUpdate("INSERT INTO series (unit_id, zone, version, created_at, updated_at) VALUES (:unit, :zone, 1, :now, :now)")
                .bind("unit", unitId).bind("zone", zone).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Makes {@code definition} the series' rule from {@code from} on, replacing any segment that began on or after it. */
    void replaceFrom(long seriesId, LocalDate from, SeriesDefinition definition, Instant now) {
        h.createUpdate("DELETE FROM series_segments WHERE series_id = :id AND from_date >= :from")
                .bind("id", seriesId).bind("from", from.toString()).execute();
        h.createUpdate("INSERT INTO series_segments (series_id, from_date, definition, created_at) VALUES (:id, :from, :definition, :now)")
                .bind("id", seriesId).bind("from", from.toString()).bind("definition", write(definition)).bind("now", now).execute();
    }

    void touch(long seriesId, Instant now) {
        h.createUpdate("UPDATE series SET version = version + 1, updated_at = :now WHERE id = :id").bind("id", seriesId).bind("now", now).execute();
    }

    void end(long seriesId, LocalDate until, Instant now) {
        h.createUpdate("UPDATE series SET until_date = :until, version = version + 1, updated_at = :now WHERE id = :id")
                .bind("id", seriesId).bind("until", until.toString()).bind("now", now).execute();
    }

    Optional<Series> find(long id) {
        return h.createQuery("SELECT * FROM series WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Object[] {rs.getLong("unit_id"), rs.getString("zone"), rs.getString("until_date"), rs.getInt("version"),
                        rs.getLong("created_at"), rs.getLong("updated_at")})
                .findOne()
                .map(r -> new Series(id, (Long) r[0], (String) r[1], r[2] == null ? null : LocalDate.parse((String) r[2]), (Integer) r[3],
                        Instant.ofEpochMilli((Long) r[4]), Instant.ofEpochMilli((Long) r[5]), segments(id)));
    }

    /** Series that may still make meetings on or after {@code today}. */
    List<Long> activeIds(LocalDate today) {
        return h.createQuery("SELECT id FROM series WHERE until_date IS NULL OR until_date >= :today ORDER BY id")
                .bind("today", today.toString()).mapTo(Long.class).list();
    }

    /** The series a meeting was made by and its rule date; empty for a one-off meeting. */
    Optional<SeriesService.Membership> ofMeeting(long meetingId) {
        return h.createQuery("SELECT series_id, occurrence_date, series_exception FROM meetings WHERE id = :id AND series_id IS NOT NULL")
                .bind("id", meetingId)
                .map((rs, ctx) -> new long[] {rs.getLong("series_id"), LocalDate.parse(rs.getString("occurrence_date")).toEpochDay(),
                        rs.getInt("series_exception")})
                .findOne()
                .flatMap(r -> find(r[0]).map(series -> new SeriesService.Membership(series, LocalDate.ofEpochDay(r[1]), r[2] == 1)));
    }

    List<Made> made(long seriesId) {
        return h.createQuery("""
                        SELECT id, occurrence_date, series_exception, status, starts_at FROM meetings
                        WHERE series_id = :id ORDER BY occurrence_date""")
                .bind("id", seriesId)
                .map((rs, ctx) -> new Made(rs.getLong("id"), LocalDate.parse(rs.getString("occurrence_date")), rs.getInt("series_exception") == 1,
                        rs.getString("status"), Instant.ofEpochMilli(rs.getLong("starts_at"))))
                .list();
    }

    private List<Series.Segment> segments(long seriesId) {
        return h.createQuery("SELECT from_date, definition FROM series_segments WHERE series_id = :id ORDER BY from_date")
                .bind("id", seriesId)
                .map((rs, ctx) -> new Series.Segment(LocalDate.parse(rs.getString("from_date")), read(rs.getString("definition"))))
                .list();
    }

    private static String write(SeriesDefinition definition) {
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a series definition", e);
        }
    }

    private static SeriesDefinition read(String json) {
        try {
            return JSON.readValue(json, SeriesDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored series definition: " + json, e);
        }
    }
}
