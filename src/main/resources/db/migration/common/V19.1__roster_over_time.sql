-- A membership has dates and a status over time, so that a meeting counts the roster of its own day.
-- Dates are ISO strings (YYYY-MM-DD), calendar days in the unit's zone. A membership without joined_on
-- was a member since before Convene knew (every membership made before this migration): the roster of
-- any day includes it, so existing reports keep their figures. left_on is the first day no longer a member.
ALTER TABLE memberships ADD COLUMN joined_on VARCHAR(10);
ALTER TABLE memberships ADD COLUMN left_on VARCHAR(10);
ALTER TABLE memberships ADD COLUMN left_reason VARCHAR(20);

-- the status of a membership from a day on (from_on NULL: since the membership began)
CREATE TABLE membership_statuses (
  id          ${idPk},
  unit_id     BIGINT      NOT NULL REFERENCES units(id),
  person_id   BIGINT      NOT NULL REFERENCES persons(id),
  status      VARCHAR(20) NOT NULL,
  from_on     VARCHAR(10),
  created_at  BIGINT      NOT NULL
);
CREATE INDEX membership_statuses_member ON membership_statuses(unit_id, person_id);
INSERT INTO membership_statuses (unit_id, person_id, status, from_on, created_at)
  SELECT unit_id, person_id, 'official', NULL, created_at FROM memberships;

-- a meeting's invited list, frozen once it has begun: later changes to the roster leave it as it was
CREATE TABLE meeting_invitees (
  meeting_id  BIGINT      NOT NULL REFERENCES meetings(id),
  person_id   BIGINT      NOT NULL REFERENCES persons(id),
  status      VARCHAR(20) NOT NULL,
  PRIMARY KEY (meeting_id, person_id)
);
ALTER TABLE meetings ADD COLUMN invitees_frozen_at BIGINT;

-- the unit an audit event belongs to, for the unit's audit page
ALTER TABLE audit_events ADD COLUMN unit_id BIGINT;
CREATE INDEX audit_events_unit ON audit_events(unit_id, at);
UPDATE audit_events SET unit_id = (SELECT u.id FROM units u WHERE CAST(u.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'unit';
UPDATE audit_events SET unit_id = (SELECT m.unit_id FROM meetings m WHERE CAST(m.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'meeting';
UPDATE audit_events SET unit_id = (SELECT c.unit_id FROM chats c WHERE CAST(c.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'chat';
UPDATE audit_events SET unit_id = (SELECT t.unit_id FROM tasks t WHERE CAST(t.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'task';
UPDATE audit_events SET unit_id = (SELECT m.unit_id FROM materials x JOIN meetings m ON m.id = x.meeting_id
                                   WHERE CAST(x.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'material';
UPDATE audit_events SET unit_id = (SELECT s.unit_id FROM series s WHERE CAST(s.id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'series';
-- a member event named the person only; one unit of theirs is the best that can be said afterwards
UPDATE audit_events SET unit_id = (SELECT MIN(ms.unit_id) FROM memberships ms WHERE CAST(ms.person_id AS VARCHAR(64)) = audit_events.entity_id)
  WHERE entity = 'member';
