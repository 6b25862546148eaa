-- Recurring meetings. A series is its unit and its end; what it makes (rule, time, agenda, …) lives in
-- segments, each in force from its own date, so that "change the series from this date on" keeps what
-- the series made before that date as it was. Dates are ISO strings (YYYY-MM-DD): they are calendar
-- days in the series' zone, not instants.
CREATE TABLE series (
  id          ${idPk},
  unit_id     BIGINT       NOT NULL REFERENCES units(id),
  zone        VARCHAR(64)  NOT NULL,
  until_date  VARCHAR(10),
  version     INTEGER      NOT NULL,
  created_at  BIGINT       NOT NULL,
  updated_at  BIGINT       NOT NULL
);
CREATE INDEX series_unit ON series(unit_id);

-- definition: the segment's fields as JSON (title, kind, rrule, lunarDay, anchorDate, startTime,
-- durationMinutes, holidayPolicy, reminders, agenda, location), read and written only by the schedule feature
CREATE TABLE series_segments (
  id          ${idPk},
  series_id   BIGINT       NOT NULL REFERENCES series(id),
  from_date   VARCHAR(10)  NOT NULL,
  definition  TEXT         NOT NULL,
  created_at  BIGINT       NOT NULL,
  UNIQUE (series_id, from_date)
);

-- A meeting made by a series remembers the rule's date it stands for (before any holiday move): one
-- meeting per series occurrence, so making meetings ahead is idempotent. series_exception marks an
-- occurrence changed by hand, which the series then leaves alone.
ALTER TABLE meetings ADD COLUMN series_id BIGINT REFERENCES series(id);
ALTER TABLE meetings ADD COLUMN occurrence_date VARCHAR(10);
ALTER TABLE meetings ADD COLUMN series_exception SMALLINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX meetings_series_occurrence ON meetings(series_id, occurrence_date);
