package org.convene.web;

import java.util.List;

/** An HTTP-level refusal (malformed body, no token, wrong token) in the contract's error shape. */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final List<Object> details;

    ApiError(int status, String code, String message, List<Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    static ApiError malformed(String message) {
        return new ApiError(400, "malformed", message, List.of());
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, List.of());
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, List.of());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, List.of());
    }
}
