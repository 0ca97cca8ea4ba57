package io.devportal.webhook.config;

import io.devportal.webhook.provider.aws.AwsConfigCheck;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The entry point: the service by default; {@code check-config} verifies the AWS configuration
 * against AWS, prints one line per finding and exits 0 when all is well, 1 otherwise.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    Instance<AwsConfigCheck> check;

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && args[0].equals("check-config")) {
            List<AwsConfigCheck.Finding> findings = check.get().run();
            findings.forEach(System.out::println);
            boolean ok = findings.stream().allMatch(AwsConfigCheck.Finding::ok);
            System.out.println(ok ? "configuration OK" : "configuration has errors");
            return ok ? 0 : 1;
        }
        if (args.length > 0) {
            System.err.println("unknown command " + args[0] + "; the only command is check-config");
            return 2;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
