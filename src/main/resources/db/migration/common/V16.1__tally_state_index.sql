-- Each answer asks whether its meeting's tally edit is queued and when the last one went, in one query
-- over the meeting's deliveries. Through deliveries(meeting_id) alone that read every delivery of the
-- meeting, and a unit of 50,000 where many answer "cannot come" has a reason question for each: the cost
-- of a press grew with the unit. With this index the query reads the meeting's tally rows of one chat.
CREATE INDEX deliveries_meeting_kind ON deliveries(meeting_id, kind, chat_id, state, sent_at);
