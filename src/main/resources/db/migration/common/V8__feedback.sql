-- Short feedback from the observers of a pilot meeting, given by replying to the bot's question.
CREATE TABLE feedback (
  id          ${idPk},
  meeting_id  BIGINT        NOT NULL REFERENCES meetings(id),
  person_id   BIGINT        NOT NULL REFERENCES persons(id),
  text        VARCHAR(2000) NOT NULL,
  at          BIGINT        NOT NULL
);
CREATE INDEX feedback_meeting ON feedback(meeting_id);
