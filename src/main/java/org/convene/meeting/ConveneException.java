package org.convene.meeting;

import java.util.List;

/** What went wrong in terms a caller can act on; the web layer maps each kind to one HTTP status once. */
public abstract sealed class ConveneException extends RuntimeException
        permits ConveneException.NotFound, ConveneException.Invalid, ConveneException.Conflict,
                ConveneException.NotAllowed, ConveneException.TooLarge, ConveneException.UnsupportedType,
                ConveneException.TooMany, ConveneException.Gone {

    /** Names what happened for the pages, which say it in the reader's language; null where only the message says it. */
    private final String problem;

    private ConveneException(String message) {
        this(message, null);
    }

    private ConveneException(String message, String problem) {
        super(message);
        this.problem = problem;
    }

    /** A code the pages have a text for ({@code problem_<code>}), or null: the message is for the API and is English. */
    public String problem() {
        return problem;
    }

    /** One field of a request and what is wrong with it. */
    public record FieldError(String field, String message) {}

    public static final class NotFound extends ConveneException {
        public NotFound(String what, Object id) {
            super(what + " " + id + " does not exist");
        }
    }

    public static final class Invalid extends ConveneException {
        private final List<FieldError> errors;

        public Invalid(List<FieldError> errors) {
            super(errors.isEmpty() ? "invalid request"
                    : errors.get(0).field() + ": " + errors.get(0).message()
                      + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
            this.errors = List.copyOf(errors);
        }

        public Invalid(String field, String message) {
            this(List.of(new FieldError(field, message)));
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public static final class Conflict extends ConveneException {
        public Conflict(String message) {
            super(message);
        }

        /** {@code problem}: what happened, as a code the pages have a text for. */
        public Conflict(String message, String problem) {
            super(message, problem);
        }
    }

    public static final class NotAllowed extends ConveneException {
        public NotAllowed(String message) {
            super(message);
        }

        /** {@code problem}: what happened, as a code the pages have a text for. */
        public NotAllowed(String message, String problem) {
            super(message, problem);
        }
    }

    public static final class TooLarge extends ConveneException {
        public TooLarge(String message) {
            super(message);
        }
    }

    public static final class UnsupportedType extends ConveneException {
        public UnsupportedType(String message) {
            super(message);
        }
    }

    /** A quota on a rate was reached (the message names it); {@code retryAfter} says when the caller may try again. */
    public static final class TooMany extends ConveneException {
        private final java.time.Duration retryAfter;

        public TooMany(String message, java.time.Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter.isNegative() || retryAfter.isZero() ? java.time.Duration.ofSeconds(1) : retryAfter;
        }

        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }

    /** It existed but is no longer open (an expired materials page): 410, so a phone says "closed", not "wrong address". */
    public static final class Gone extends ConveneException {
        public Gone(String message) {
            super(message);
        }
    }
}
