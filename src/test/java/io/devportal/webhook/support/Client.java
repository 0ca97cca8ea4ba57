package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;

/**
 * What a developer's program does with the credential the portal gave it: call an API with the
 * key ({@code x-api-key}) and/or a bearer token, get a token from the token URL with the client
 * id and secret (OAuth client-credentials grant, HTTP Basic), and check a token's RS256 signature
 * against the user pool's published keys.
 */
public final class Client {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Client() {
    }

    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** GET url, with the API key and the bearer token when not null. */
    public static Answer get(String url, String apiKey, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    /** POST tokenUrl grant_type=client_credentials, authenticated with HTTP Basic clientId:secret. */
    public static Answer token(String tokenUrl, String clientId, String clientSecret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    /** The claims of a JWT (not verified: see {@link #signatureValid}). */
    public static JsonNode claims(String jwt) {
        return part(jwt, 1);
    }

    /**
     * Whether the JWT's RS256 signature verifies with the key of its {@code kid} among the JWKS at
     * jwksUrl. False for any other algorithm or an unknown kid.
     */
    public static boolean signatureValid(String jwt, String jwksUrl) {
        JsonNode header = part(jwt, 0);
        if (!"RS256".equals(header.path("alg").asText())) {
            return false;
        }
        Answer jwks = send(HttpRequest.newBuilder(URI.create(jwksUrl)).timeout(Duration.ofSeconds(20)).GET().build());
        if (jwks.status() != 200) {
            throw new IllegalStateException("JWKS " + jwksUrl + " answered " + jwks.status() + ": " + jwks.body());
        }
        for (JsonNode key : jwks.json().path("keys")) {
            if (key.path("kid").asText().equals(header.path("kid").asText()) && "RSA".equals(key.path("kty").asText())) {
                return verify(jwt, rsa(key));
            }
        }
        return false;
    }

    private static PublicKey rsa(JsonNode jwk) {
        Base64.Decoder url = Base64.getUrlDecoder();
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, url.decode(jwk.path("n").asText())),
                    new BigInteger(1, url.decode(jwk.path("e").asText()))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an RSA key: " + jwk, e);
        }
    }

    private static boolean verify(String jwt, PublicKey key) {
        int lastDot = jwt.lastIndexOf('.');
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode part(String jwt, int index) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT (" + parts.length + " parts)");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
