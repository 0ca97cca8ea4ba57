package io.devportal.webhook.cli;

import io.devportal.webhook.api.auth.SaltedSha256;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code hash-password --generate}: a new portal password (256 random bits) and its fast
 * {@code sha256$salt$digest} hash, for {@code WEBHOOK_PASSWORD_HASH} (the SAM parameter
 * {@code WebhookPasswordHash}). Without {@code --generate}, hashes a password read from stdin, which must be
 * at least {@value #MIN_LENGTH} characters (and should be as random as a generated one). Runs without
 * starting the service (Main calls it directly): no configuration, database or AWS is needed.
 */
@Command(name = HashPasswordCommand.NAME, mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Generates a portal password (256 random bits) and its sha256$ hash for WEBHOOK_PASSWORD_HASH "
                + "(--generate, recommended), or hashes a random password read from stdin. The hash verifies in "
                + "microseconds; use it only for a generated password, never one a person chose.")
public class HashPasswordCommand implements Callable<Integer> {
    static final String NAME = "hash-password";
    /** 22 base64 characters carry 128 bits: the least a fast hash may protect. */
    static final int MIN_LENGTH = 22;

    @Option(names = "--generate", description = "generate the password (recommended) instead of reading it from stdin")
    boolean generate;

    @CommandLine.Mixin
    Output output;

    /** The JSON form. */
    public record Json(String password, String hash) {
    }

    @Override
    public Integer call() throws IOException {
        String password;
        if (generate) {
            password = SaltedSha256.generatePassword();
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? "" : line;
            if (password.length() < MIN_LENGTH) {
                throw new CliException("invalid_password", "the password on stdin has " + password.length() + " characters: a sha256$ hash "
                        + "needs a random password of at least " + MIN_LENGTH + " (use --generate)");
            }
        }
        String hash = SaltedSha256.hash(password);
        output.print(new Json(generate ? password : null, hash), out -> {
            if (generate) {
                out.println("password: " + password);
            }
            out.println("hash: " + hash);
        });
        return Cli.OK;
    }
}
