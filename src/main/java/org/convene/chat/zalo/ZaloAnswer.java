package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;

/** What one Zalo API call came back with: its data, Zalo's refusal, or no answer at all. */
sealed interface ZaloAnswer {

    /** {@code {"error":0,"message":"Success","data":{…}}}; {@code data} may be a missing node. */
    record Ok(JsonNode data) implements ZaloAnswer {}

    /**
     * {@code {"error":-216,"message":"Access token is invalid"}}, or an HTTP error without that body (a
     * proxy's 502): then {@code error} is 0 and {@code httpStatus} says what happened.
     */
    record Refused(int error, String message, int httpStatus) implements ZaloAnswer {}

    /** The network failed or timed out; nothing is known about whether Zalo acted. */
    record Unreachable(String reason) implements ZaloAnswer {}
}
