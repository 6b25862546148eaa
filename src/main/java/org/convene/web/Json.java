package org.convene.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.List;
import java.util.stream.Collectors;
import org.convene.meeting.ConveneException;

/** One JSON mapper for the API; request bodies that do not parse are 400, bodies of the wrong shape 422. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    public static <T> T read(Context ctx, Class<T> type) {
        String body = ctx.body();
        if (body.isBlank()) throw ApiError.malformed("the request needs a JSON body");
        try {
            return MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ConveneException.Invalid(path(e), "is not a known field");
        } catch (MismatchedInputException e) {
            throw new ConveneException.Invalid(path(e).isEmpty() ? "body" : path(e), "has the wrong type: " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            throw new ConveneException.Invalid(path(e).isEmpty() ? "body" : path(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiError.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static JsonNode tree(Context ctx) {
        try {
            return ctx.body().isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiError.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        return refs.stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
