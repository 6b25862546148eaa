package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;

/** What one Bot API call came back with: its result, Telegram's refusal, or no answer at all. */
sealed interface BotApiAnswer {

    /** {@code {"ok":true,"result":…}}. */
    record Ok(JsonNode result) implements BotApiAnswer {}

    /**
     * {@code {"ok":false,"error_code":…,"description":…,"parameters":{…}}}, or an HTTP error without that body
     * (a proxy's 502): then {@code errorCode} is the HTTP status.
     *
     * @param retryAfter        {@code parameters.retry_after} in seconds, or null
     * @param migrateToChatId   {@code parameters.migrate_to_chat_id}, or null
     */
    record Refused(int errorCode, String description, Integer retryAfter, String migrateToChatId) implements BotApiAnswer {
        boolean notModified() {
            return errorCode == 400 && description.contains("message is not modified");
        }
    }

    /** The network failed or timed out; nothing is known about whether Telegram acted. */
    record Unreachable(String reason) implements BotApiAnswer {}
}
