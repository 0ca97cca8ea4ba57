package io.devportal.webhook.provider.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account of the webhook's own credentials, which a target without a role acts in
 * ({@link PlaceResolver}). Known once per process, and never before a SnapStart snapshot:
 * <ul>
 *   <li>in Lambda, from the invoked function's ARN, which the handler hands over with every event
 *   ({@link #learnFromFunctionArn}): the function's execution role, whose credentials the webhook
 *   acts with, is in the function's own account (Lambda takes only a role of that account, and
 *   reserves the credential variables). No call, no STS class loaded: the first create of a
 *   restored container makes no extra round trip;</li>
 *   <li>elsewhere (a container, the CLI, tests), asked of STS ({@code GetCallerIdentity}) when
 *   first needed. An answer without a 12-digit account (priming's canned one) is never kept.</li>
 * </ul>
 */
@ApplicationScoped
public class OwnAccount {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** arn:partition:lambda:region:account:function:name[:qualifier] */
    private static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\\d{12}):function:[^:]+(:[^:]+)?");

    @Inject
    AwsClients clients;

    private volatile String known;

    /**
     * The invoked function's ARN, as the Lambda runtime gives it with an event: its account becomes
     * the webhook's own. Anything else (null, no ARN of a function) is ignored; the first account
     * learned is kept.
     */
    public void learnFromFunctionArn(String functionArn) {
        if (known != null || functionArn == null) {
            return;
        }
        Matcher m = FUNCTION_ARN.matcher(functionArn);
        if (m.matches()) {
            known = m.group(1);
        }
    }

    /** Whether the account is known already (no call would be made for it). */
    public boolean isKnown() {
        return known != null;
    }

    /** The account: the one learned, else sts:GetCallerIdentity once per process; null when AWS gives none. */
    String get() {
        String account = known;
        if (account != null) {
            return account;
        }
        String resolved = AwsErrors.call("sts:GetCallerIdentity", "the webhook's own credentials",
                AwsErrors.Missing.CONFIGURED, clients::callerAccount);
        if (resolved != null && ACCOUNT.matcher(resolved).matches()) {
            known = resolved;
            return resolved;
        }
        return null;
    }
}
