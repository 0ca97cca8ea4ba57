package io.devportal.webhook.support;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS operation a request to the strict twin ({@link StrictAws}) calls, named as AWS names it
 * (CreateApiKey, UpdateUserPoolClient, AssumeRole, ...), read from its protocol: Cognito's and STS's
 * X-Amz-Target, STS's query-protocol Action, API Gateway's method and path.
 */
final class StrictAwsOperations {
    static final Pattern PLAN_KEYS = Pattern.compile("^/usageplans/([^/]+)/keys$");
    private static final Pattern API_KEY = Pattern.compile("^/apikeys/([^/]+)$");
    static final String COGNITO = "AWSCognitoIdentityProviderService.";
    static final String STS_JSON = "AWSSecurityTokenServiceV20110615.";

    private StrictAwsOperations() {
    }

    /** The operation's name; "moto-api" for moto's own API, "METHOD path" for a call it does not name. */
    static String of(HttpExchange exchange, String path, byte[] body) {
        if (path.startsWith("/moto-api")) {
            return "moto-api";  // FaultInjector sends a faulted call here: it never reaches the rules
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null && target.startsWith(COGNITO)) {
            return target.substring(COGNITO.length());
        }
        if (target != null && target.startsWith(STS_JSON)) {
            return target.substring(STS_JSON.length());
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (path.equals("/") && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(new String(body, StandardCharsets.UTF_8));
            if (action.find()) {
                return action.group(1);  // a query-protocol call: STS
            }
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/apikeys")) {
            return method.equals("POST") ? "CreateApiKey" : "GetApiKeys";
        }
        if (API_KEY.matcher(path).matches()) {
            return switch (method) {
                case "DELETE" -> "DeleteApiKey";
                case "PATCH" -> "UpdateApiKey";
                default -> "GetApiKey";
            };
        }
        if (PLAN_KEYS.matcher(path).matches() && method.equals("POST")) {
            return "CreateUsagePlanKey";
        }
        if (path.startsWith("/usageplans/") && path.contains("/keys/") && method.equals("DELETE")) {
            return "DeleteUsagePlanKey";
        }
        if (path.equals("/usageplans")) {
            return "GetUsagePlans";
        }
        if (path.startsWith("/usageplans/")) {
            return "GetUsagePlan";
        }
        return method + " " + path;
    }
}
