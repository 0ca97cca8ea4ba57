package io.devportal.webhook.config;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The random ids of the service (request ids, credential, operation and audit ids, transaction
 * tokens): version 4 UUIDs from a {@link SecureRandom} of its own, which {@link #reseed()} replaces
 * by a newly seeded one. A SnapStart restore calls it (the Lambda build's hooks), so that copies of
 * one snapshot never share a generator state, and no id can repeat across them.
 */
public final class Ids {
    private static volatile SecureRandom random = new SecureRandom();

    private Ids() {
    }

    public static String uuid() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    /** A new generator, seeded now from the operating system's entropy (after a restore). */
    public static void reseed() {
        SecureRandom fresh = new SecureRandom();
        fresh.nextBytes(new byte[1]); // seeds it here, not on the first request
        random = fresh;
    }

    /** The generator in use (tests: a restore must replace it). */
    public static SecureRandom generator() {
        return random;
    }
}
