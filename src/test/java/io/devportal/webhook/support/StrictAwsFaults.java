package io.devportal.webhook.support;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures injected into the strict twin ({@link StrictAws}), each
 * {@code fault=Operation@account/region:status[:times]}: that operation in that target alone is
 * answered with that status, as AWS answers it, without reaching moto; every time unless times is
 * given.
 */
final class StrictAwsFaults {
    /** An injected failure of one operation in one target. */
    private record Fault(String operation, String target, int status, AtomicInteger remaining) {
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    /** Adds the fault a setting's value names ({@code Operation@account/region:status[:times]}); false when it names none. */
    boolean add(String spec) {
        Matcher m = Pattern.compile("([A-Za-z]+)@(\\d{12}/[a-z0-9-]+):(\\d{3})(?::(\\d+))?").matcher(spec);
        if (!m.matches()) {
            return false;
        }
        faults.add(new Fault(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                new AtomicInteger(m.group(4) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(4)))));
        return true;
    }

    /** No faults. */
    void clear() {
        faults.clear();
    }

    /** A fault configured for this operation in the caller's target, answered as AWS answers it; null when none. */
    StrictAwsAnswer injected(HttpExchange exchange, String operation, StrictAwsCaller caller) {
        for (Fault fault : faults) {
            if (fault.operation.equals(operation) && fault.target.equals(caller.target())
                    && fault.remaining.getAndDecrement() > 0) {
                String type = switch (fault.status) {
                    case 400 -> "BadRequestException";
                    case 403 -> "AccessDeniedException";
                    case 404 -> "NotFoundException";
                    case 409 -> "ConflictException";
                    case 429 -> "TooManyRequestsException";
                    case 503 -> "ServiceUnavailableException";
                    default -> "InternalFailure";
                };
                String message = fault.status == 403 ? "User: arn:aws:sts::" + caller.account()
                        + ":assumed-role/injected is not authorized to perform this operation (" + operation + ")"
                        : "injected " + fault.status + " of " + operation + " in " + caller.target();
                String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                if (caller.service().equals("sts")) {
                    // the query protocol's error document
                    String code = fault.status == 403 ? "AccessDenied" : type;
                    String xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>"
                            + (fault.status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + code + "</Code><Message>"
                            + message + "</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
                    return new StrictAwsAnswer(fault.status, Map.of("Content-Type", List.of("text/xml")),
                            xml.getBytes(StandardCharsets.UTF_8));
                }
                if (amzTarget != null && amzTarget.startsWith(StrictAwsOperations.COGNITO)) {
                    return StrictAwsAnswer.cognitoError(fault.status, type, message);
                }
                return StrictAwsAnswer.apiGatewayError(fault.status, type, message);
            }
        }
        return null;
    }
}
