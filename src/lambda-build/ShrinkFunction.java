import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Shrinks the AWS SDK service jars inside the Lambda's function.zip to what the function can reach
 * (docs/cold-start.md, "A smaller function"). Run by the lambda profile after the package build,
 * compiled with the other classes of src/lambda-build:
 * {@code java -cp <ProGuard>:<src/lambda-build compiled> ShrinkFunction <function.zip> <jar-prefix>...}.
 *
 * <p>Two passes. ProGuard removes the methods nothing calls (a service client's interface and
 * implementation carry every operation of the service; the function calls a dozen), with every
 * class outside the shrunk jars kept whole as the roots and every library and JDK class known, so
 * that a method overriding a library method stays ({@link ProGuardPass}). ProGuard keeps whole model
 * classes that are only named by the operations it removed; the second pass ({@link Reachability})
 * keeps, of ProGuard's output, only the classes that a kept class names (class constants, member and
 * call descriptors, and string constants that spell a class of the jars: a class looked up by name;
 * {@link ClassRefs}), starting from every class outside the shrunk jars. The JVM loads a class only
 * when a loaded class names it, so a class no kept class names is never loaded but by reflection on
 * its name: the one such look-up into these jars (the SDK's auth module loading STS' profile
 * credential factories) is kept by name, and the SDK's warm-up providers, found through
 * {@code META-INF/services} by {@code SdkWarmUp} only, which the function never calls, go with their
 * service file.
 *
 * <p>The unshrunk zip is kept beside it as {@code function-unshrunk.zip}; the shrunk jars are written
 * back into the zip by {@link ShrunkJars}; RepackFunction, the next step, repacks the result.
 */
public class ShrinkFunction {

    /** Classes of the shrunk jars that are loaded by name (software.amazon.awssdk.auth's ProfileCredentialsUtils). */
    static final List<String> LOADED_BY_NAME = List.of(
            "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory",
            "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory");

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ShrinkFunction <function.zip> <lib jar prefix>...");
        }
        Path zip = Path.of(args[0]);
        List<String> prefixes = List.of(args).subList(1, args.length);
        Path work = Files.createTempDirectory("shrink-function");
        try {
            new ShrinkFunction().shrink(zip, prefixes, work);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    void shrink(Path zip, List<String> prefixes, Path work) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            // RepackFunction's mark: this zip is this build's output already (a package run that did not rebuild it)
            if (z.getComment() != null && z.getComment().startsWith("devportal-webhook: SDK service jars shrunk")) {
                System.out.println("ShrinkFunction: " + zip.getFileName() + " is shrunk already");
                return;
            }
        }
        Path unshrunk = zip.resolveSibling("function-unshrunk.zip");
        Files.copy(zip, unshrunk, StandardCopyOption.REPLACE_EXISTING);
        Map<String, Path> shrunk = new LinkedHashMap<>();
        List<Path> libraries = new ArrayList<>();
        Path app = work.resolve("app.jar");
        unpack(unshrunk, prefixes, work, app, shrunk, libraries);
        if (shrunk.size() != prefixes.size()) {
            throw new IllegalStateException("expected one jar per prefix " + prefixes + " in " + zip + ", found " + shrunk.keySet());
        }
        Set<String> byName = new HashSet<>(LOADED_BY_NAME);
        for (Path jar : libraries) {
            byName.addAll(Reachability.serviceProviders(jar));
        }
        for (Path jar : shrunk.values()) {
            byName.addAll(Reachability.serviceProviders(jar));
        }
        Map<String, Path> proguarded = ProGuardPass.run(app, shrunk, libraries, byName, work);
        Map<String, byte[]> candidates = new LinkedHashMap<>();
        Map<String, String> jarOf = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : proguarded.entrySet()) {
            Reachability.forEachClass(jar.getValue(), (name, bytes) -> {
                candidates.put(name, bytes);
                jarOf.put(name, jar.getKey());
            });
        }
        Set<String> kept = Reachability.reachable(candidates, app, libraries, byName);
        Map<String, byte[]> rebuilt = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : shrunk.entrySet()) {
            rebuilt.put(jar.getKey(), ShrunkJars.rebuild(jar.getValue(), candidates, jarOf, kept, jar.getKey()));
        }
        ShrunkJars.rezip(unshrunk, zip, rebuilt);
        System.out.printf("ShrinkFunction: %s %,d -> %,d bytes%n", zip.getFileName(), Files.size(unshrunk), Files.size(zip));
    }

    /**
     * The zip's lib/ jars into {@code work} (those a prefix names into {@code shrunk}, the others into
     * {@code libraries}) and its loose classes (the application) into one jar, {@code app}.
     */
    static void unpack(Path unshrunk, List<String> prefixes, Path work, Path app, Map<String, Path> shrunk,
                       List<Path> libraries) throws IOException {
        try (ZipFile in = new ZipFile(unshrunk.toFile());
             ZipOutputStream appJar = new ZipOutputStream(Files.newOutputStream(app))) {
            for (ZipEntry e : in.stream().toList()) {
                String name = e.getName();
                if (name.startsWith("lib/") && name.endsWith(".jar")) {
                    Path jar = work.resolve(name);
                    Files.createDirectories(jar.getParent());
                    try (InputStream data = in.getInputStream(e)) {
                        Files.copy(data, jar);
                    }
                    String file = name.substring("lib/".length());
                    if (prefixes.stream().anyMatch(file::startsWith)) {
                        shrunk.put(name, jar);
                    } else {
                        libraries.add(jar);
                    }
                } else if (name.endsWith(".class")) {
                    appJar.putNextEntry(new ZipEntry(name));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(appJar);
                    }
                }
            }
        }
    }
}
