package io.devportal.webhook.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What makes the project adoptable, and the claims issue 13 found stale: the licence, the
 * changelog, the README's first screen and the test command's costs, and none of the old claims
 * left in the README, docs/ or the SAM template.
 */
public class ProjectFilesTest {
    /** SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt, as Apache's own jars ship it. */
    static final String APACHE_2_0_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    /**
     * How README.md ("`target/function.zip` is N bytes (M MiB)") and docs/deploy-aws.md (its cold-start
     * table's "after" column, "| N bytes (M MiB") state the measured size of function.zip.
     */
    static final Pattern STATED_ZIP = Pattern.compile(
            "(?:`target/function\\.zip` is |\\| `function\\.zip` \\| [0-9,]+ bytes \\| )([0-9]{1,3}(?:,[0-9]{3})+) bytes \\(([0-9.]+) MiB");

    /** The size of function.zip a doc states (FunctionZipIT checks it against the built zip). */
    public static long statedZipBytes(Path doc) throws IOException {
        Matcher m = STATED_ZIP.matcher(Files.readString(doc).replace("\n", " ").replaceAll(" +", " "));
        assertTrue(m.find(), doc + " states no size of function.zip (" + STATED_ZIP.pattern() + ")");
        long bytes = Long.parseLong(m.group(1).replace(",", ""));
        // the MiB figure beside it is the same size
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f", bytes / 1024.0 / 1024.0), m.group(2), doc + ": " + m.group());
        assertFalse(m.find(), doc + " states the size twice");
        return bytes;
    }

    static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    @Test
    void theLicenseIsTheApache20TextUnchangedAndThePomSaysSo() throws IOException, NoSuchAlgorithmException {
        byte[] license = Files.readAllBytes(Path.of("LICENSE"));
        assertEquals(APACHE_2_0_SHA256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(license)));
        assertTrue(read("pom.xml").contains("<name>Apache-2.0</name>"));
    }

    @Test
    void theChangelogKeepsAChangelogsShape() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("CHANGELOG.md"));
        assertEquals("# Changelog", lines.get(0));
        assertTrue(lines.contains("## [Unreleased]"));
        Set<String> sections = new TreeSet<>();
        lines.stream().filter(l -> l.startsWith("### ")).forEach(l -> sections.add(l.substring(4)));
        assertTrue(Set.of("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security").containsAll(sections), sections.toString());
        assertTrue(sections.containsAll(Set.of("Added", "Changed", "Fixed")), sections.toString());
    }

    @Test
    void theReadmesFirstScreenSaysWhatItNeedsInAwsAndWhatItDoesNotDo() throws IOException {
        String first = String.join("\n", Files.readAllLines(Path.of("README.md")).subList(0, 40));
        for (String said : List.of("**What it needs in AWS, all created by you beforehand:**", "**usage\nplans**",
                "**Cognito user pool**", "**resource server**", "**domain**", "**What it does not do:**")) {
            assertTrue(first.contains(said), said);
        }
    }

    @Test
    void theReadmeStatesWhatTheTestCommandCosts() throws IOException {
        String readme = read("README.md");
        int at = readme.indexOf("**What command 2 costs:**");
        assertTrue(at > 0 && at < readme.indexOf("## Guarantees"));
        String costs = readme.substring(at, readme.indexOf("\n\n", at)).replaceAll("\\s+", " ");
        for (String said : List.of("about 20 minutes", "PyPI", "`~/.cache/devportal-webhook`", "`python3-venv`",
                "Run as root on Debian, it installs the `postgresql` server package", "and `make`")) {
            assertTrue(costs.contains(said), said);
        }
    }

    static String docs() throws IOException {
        StringBuilder all = new StringBuilder(read("README.md")).append(read("deploy/sam/template.yaml"));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    @Test
    void noStaleClaimOfIssue13Remains() throws IOException {
        String all = docs().replace("\n", " ").replaceAll(" +", " ");
        for (String stale : List.of("about 650", "opens **no HTTP port**", "(credentials, API Gateway",
                "credentials and API Gateway access", "a 429 from Lambda that the portal retries", "/q/health and /q/openapi",
                "Lambda in three commands", "<!-- The \"Metrics\" section", "--template-file deploy/sam/template.yaml",
                "`target/function.zip` is 38 MiB")) {
            assertFalse(all.contains(stale), stale);
        }
        assertFalse(Pattern.compile("QUARKUS_LOG_CONSOLE_JSON=true").matcher(read("README.md")).find());
    }

    @Test
    void bothDocsStateOneZipSizeWithinTheLimitOfFunctionZipIt() throws IOException {
        // FunctionZipIT (the Lambda build, which has the zip) checks the figure is within 3 % of the built one
        long readme = statedZipBytes(Path.of("README.md"));
        assertEquals(readme, statedZipBytes(Path.of("docs/deploy-aws.md")), "README.md and docs/deploy-aws.md disagree");
        Matcher limit = Pattern.compile("\"function\\.zip\\.max-bytes\", ([0-9]+)L \\* 1024 \\* 1024\\)")
                .matcher(read("src/lambda-test/java/io/devportal/webhook/lambda/FunctionZipIT.java"));
        assertTrue(limit.find(), "FunctionZipIT's limit not found");
        long max = Long.parseLong(limit.group(1)) * 1024 * 1024;
        assertTrue(readme <= max, "the stated " + readme + " bytes are above FunctionZipIT's limit of " + max);
        assertTrue(read("README.md").replace("\n", " ").replaceAll(" +", " ").contains("`FunctionZipIT` keeps it under "
                + limit.group(1) + " MiB"), "the README names FunctionZipIT's limit");
    }

    @Test
    void operateHasAMetricsSectionNamingOnlyExportedMetrics() throws IOException {
        String operate = read("docs/operate.md");
        int at = operate.indexOf("\n## Metrics\n");
        assertTrue(at > 0);
        String section = operate.substring(at, operate.indexOf("\n## ", at + 1));
        Matcher m = Pattern.compile("`((?:webhook|http_server)_\\w+)`").matcher(section);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertEquals(9, named.size(), named.toString());
        String metrics = read("docs/metrics.md");
        named.forEach(n -> assertTrue(metrics.contains("| `" + n + "` |"), n + " is not in docs/metrics.md"));
    }
}
