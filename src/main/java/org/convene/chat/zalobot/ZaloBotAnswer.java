package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;

/** What one Bot API call came back with: its result, Zalo's refusal, or no answer at all. */
sealed interface ZaloBotAnswer {

    /** {@code {"ok":true,"result":…}}; HTTP 200 alone is not success. */
    record Ok(JsonNode result) implements ZaloBotAnswer {}

    /**
     * {@code {"ok":false,"error_code":…,"description":…}}, or an HTTP error without that body (a proxy's
     * 502, a host that is not the Bot API): then {@code errorCode} is the HTTP status and {@code botApi} false.
     */
    record Refused(int errorCode, String description, boolean botApi) implements ZaloBotAnswer {}

    /** The network failed or timed out; nothing is known about whether Zalo acted. */
    record Unreachable(String reason) implements ZaloBotAnswer {}
}
