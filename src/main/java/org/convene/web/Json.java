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
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // "{}x" is not JSON: without this Jackson reads the first value and drops the rest
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /**
     * The body as {@code type}: a JSON object (a list when {@code type} is an array), no null inside a list;
     * anything else is refused here so that no service ever sees a null request or a null list entry.
     */
    public static <T> T read(Context ctx, Class<T> type) {
        String body = ctx.body();
        if (body.isBlank()) throw ApiError.malformed("the request needs a JSON body");
        JsonNode tree = parse(body);
        if (type.isArray() ? !tree.isArray() : !tree.isObject()) {
            throw new ConveneException.Invalid("body", type.isArray() ? "must be a JSON list" : "must be a JSON object");
        }
        return value(tree, type);
    }

    /** A tree already checked to be of the right shape, mapped onto {@code type} with the same refusals as {@link #read}. */
    public static <T> T value(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
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

    /** The body as a tree (an empty object when there is none), with no null inside a list. */
    public static JsonNode tree(Context ctx) {
        return ctx.body().isBlank() ? MAPPER.createObjectNode() : parse(ctx.body());
    }

    private static JsonNode parse(String body) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
        noNullInLists(tree, "");
        return tree;
    }

    private static void noNullInLists(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                if (node.get(i).isNull()) throw new ConveneException.Invalid(at.startsWith("[") ? "body" + at : at, "must not be null");
                noNullInLists(node.get(i), at);
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> noNullInLists(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        }
    }

    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        return refs.stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
