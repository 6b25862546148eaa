package org.convene.chat.zalo;

import java.util.Objects;

/**
 * What the Zalo adapter needs from the configuration.
 *
 * @param appSecret    the Zalo app's secret key, sent as the {@code secret_key} header of a token refresh
 * @param oaSecret     the OA secret key that signs webhook events
 * @param refreshToken the first refresh token from the OA admin's authorisation; used only while the database holds none
 *                     made from it (each refresh spends the token and gives a new one)
 * @param apiUrl       OpenAPI base URL, {@code https://openapi.zalo.me}
 * @param oauthUrl     OAuth base URL, {@code https://oauth.zaloapp.com}
 * @param messagesPerSecond Convene's own pace for the OA: Zalo publishes no limit
 */
public record ZaloConfig(String appId, String appSecret, String oaSecret, String refreshToken, String apiUrl, String oauthUrl,
                         double messagesPerSecond) {
    public ZaloConfig {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(oaSecret, "oaSecret");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(oauthUrl, "oauthUrl");
        if (!(messagesPerSecond > 0)) throw new IllegalArgumentException("messagesPerSecond must be positive");
    }

    /** Never the secrets or the token: records print themselves in logs and assertion messages. */
    @Override
    public String toString() {
        return "ZaloConfig[appId=" + appId + ", appSecret=<redacted>, oaSecret=<redacted>, refreshToken=<redacted>, apiUrl=" + apiUrl
                + ", oauthUrl=" + oauthUrl + ", messagesPerSecond=" + messagesPerSecond + "]";
    }
}
