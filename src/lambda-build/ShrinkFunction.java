import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Shrinks the AWS SDK service jars inside the Lambda's function.zip to what the function can reach
 * (docs/cold-start.md, "A smaller function"). Run by the lambda profile after the package build:
 * {@code java -cp <ProGuard> src/lambda-build/ShrinkFunction.java <function.zip> <jar-prefix>...}.
 *
 * <p>Two passes. ProGuard removes the methods nothing calls (a service client's interface and
 * implementation carry every operation of the service; the function calls a dozen), with every
 * class outside the shrunk jars kept whole as the roots and every library and JDK class known, so
 * that a method overriding a library method stays. ProGuard keeps whole model classes that are
 * only named by the operations it removed; the second pass keeps, of ProGuard's output, only the
 * classes that a kept class names (class constants, member and call descriptors, and string
 * constants that spell a class of the jars: a class looked up by name), starting from every class
 * outside the shrunk jars. The JVM loads a class only when a loaded class names it, so a class no
 * kept class names is never loaded but by reflection on its name: the one such look-up into these
 * jars (the SDK's auth module loading STS' profile credential factories) is kept by name, and the
 * SDK's warm-up providers, found through {@code META-INF/services} by {@code SdkWarmUp} only,
 * which the function never calls, go with their service file.
 *
 * <p>The unshrunk zip is kept beside it as {@code function-unshrunk.zip}; RepackFunction, the next
 * step, repacks the result.
 */
public class ShrinkFunction {

    /** Classes of the shrunk jars that are loaded by name (software.amazon.awssdk.auth's ProfileCredentialsUtils). */
    static final List<String> LOADED_BY_NAME = List.of(
            "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory",
            "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory");

    /** Resources dropped with the classes they name: the SDK's warm-up providers (SdkWarmUp only). */
    static final String WARM_UP_SERVICES = "META-INF/services/software.amazon.awssdk.core.warmup.SdkWarmUpProvider";

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
        if (shrunk.size() != prefixes.size()) {
            throw new IllegalStateException("expected one jar per prefix " + prefixes + " in " + zip + ", found " + shrunk.keySet());
        }
        Set<String> byName = new HashSet<>(LOADED_BY_NAME);
        for (Path jar : libraries) {
            byName.addAll(serviceProviders(jar));
        }
        for (Path jar : shrunk.values()) {
            byName.addAll(serviceProviders(jar));
        }
        Map<String, Path> proguarded = proguard(app, shrunk, libraries, byName, work);
        Map<String, byte[]> candidates = new LinkedHashMap<>();
        Map<String, String> jarOf = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : proguarded.entrySet()) {
            forEachClass(jar.getValue(), (name, bytes) -> {
                candidates.put(name, bytes);
                jarOf.put(name, jar.getKey());
            });
        }
        Set<String> kept = reachable(candidates, app, libraries, byName);
        Map<String, byte[]> rebuilt = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : shrunk.entrySet()) {
            rebuilt.put(jar.getKey(), rebuild(jar.getValue(), candidates, jarOf, kept, jar.getKey()));
        }
        rezip(unshrunk, zip, rebuilt);
        System.out.printf("ShrinkFunction: %s %,d -> %,d bytes%n", zip.getFileName(), Files.size(unshrunk), Files.size(zip));
    }

    /** ProGuard's pass: the shrunk jars as program, every other class kept whole, libraries and the JDK known. */
    Map<String, Path> proguard(Path app, Map<String, Path> shrunk, List<Path> libraries, Set<String> byName, Path work)
            throws Exception {
        List<String> conf = new ArrayList<>();
        conf.add("-injars " + app + "(**.class)");
        conf.add("-outjars " + work.resolve("app-out.jar"));
        Map<String, Path> out = new LinkedHashMap<>();
        Set<String> packages = new HashSet<>();
        for (Map.Entry<String, Path> jar : shrunk.entrySet()) {
            Path o = work.resolve("out").resolve(jar.getValue().getFileName());
            out.put(jar.getKey(), o);
            conf.add("-injars " + jar.getValue() + "(**.class)");
            conf.add("-outjars " + o);
            forEachClass(jar.getValue(), (name, bytes) -> packages.add(name.substring(0, Math.max(0, name.lastIndexOf('/'))).replace('/', '.')));
        }
        for (Path lib : libraries) {
            conf.add("-libraryjars " + lib + "(!META-INF/versions/**,**.class)");
        }
        conf.add("-libraryjars " + jdkClasses(work));
        String shrunkPackages = String.join(",", packages.stream().sorted().map(p -> "!" + p + ".*").toList());
        conf.addAll(List.of(
                "-dontoptimize", "-dontnote", "-dontwarn", "-ignorewarnings",
                // names stay (obfuscation runs only to drop InnerClasses, whose entries would keep every model class)
                "-keepnames class ** { *; }",
                "-keepattributes Signature,Exceptions,*Annotation*,SourceFile,LineNumberTable,MethodParameters,Deprecated,Synthetic",
                "-keep class " + shrunkPackages + ",** { *; }",
                "-keepclassmembers enum ** { public static **[] values(); public static ** valueOf(java.lang.String); }"));
        for (String name : byName) {
            conf.add("-keep class " + name + " { *; }");
        }
        Path file = work.resolve("proguard.conf");
        Files.write(file, conf);
        Configuration configuration = new Configuration();
        try (ConfigurationParser parser = new ConfigurationParser(file.toFile(), System.getProperties())) {
            parser.parse(configuration);
        }
        new ProGuard(configuration).execute();
        return out;
    }

    /**
     * The running JDK's classes, from its run-time image (jrt:/), in one jar for ProGuard: every JDK
     * has them, where the jmods directory is optional (JEP 493 builds, some packages).
     */
    static Path jdkClasses(Path work) throws IOException {
        Path jar = work.resolve("jdk-classes.jar");
        java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar));
             Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            out.setLevel(1);
            for (Path module : modules.sorted().toList()) {
                try (Stream<Path> files = Files.walk(module)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")
                            && !f.getFileName().toString().equals("module-info.class")).sorted().toList()) {
                        out.putNextEntry(new ZipEntry(module.relativize(file).toString()));
                        out.write(Files.readAllBytes(file));
                    }
                }
            }
        }
        return jar;
    }

    /** The candidates named, transitively, by the classes outside the shrunk jars and by {@link #LOADED_BY_NAME}. */
    static Set<String> reachable(Map<String, byte[]> candidates, Path app, List<Path> libraries, Set<String> byName)
            throws IOException {
        ArrayDeque<String> todo = new ArrayDeque<>();
        for (String name : byName) {
            todo.add(name.replace('.', '/'));
        }
        List<Path> roots = new ArrayList<>(libraries);
        roots.add(app);
        for (Path jar : roots) {
            forEachClass(jar, (name, bytes) -> todo.addAll(ClassRefs.of(bytes, candidates.keySet())));
        }
        Set<String> kept = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (candidates.containsKey(name) && kept.add(name)) {
                todo.addAll(ClassRefs.of(candidates.get(name), candidates.keySet()));
            }
        }
        return kept;
    }

    /** The original jar's entries, its classes replaced by the kept ProGuard output, the warm-up service file left out. */
    static byte[] rebuild(Path original, Map<String, byte[]> candidates, Map<String, String> jarOf, Set<String> kept,
                          String entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int before = 0;
        int after = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(original));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                byte[] data = in.readAllBytes();
                if (name.endsWith(".class")) {
                    before++;
                    String cls = name.substring(0, name.length() - ".class".length());
                    if (!kept.contains(cls) || !entry.equals(jarOf.get(cls))) {
                        continue;
                    }
                    after++;
                    data = candidates.get(cls);
                } else if (name.equals(WARM_UP_SERVICES)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(data);
            }
        }
        System.out.printf("ShrinkFunction: %s: %d of %d classes kept%n", entry, after, before);
        return bytes.toByteArray();
    }

    /** Copies the zip, entry by entry in its order, with the rebuilt jars in place of the originals. */
    static void rezip(Path from, Path to, Map<String, byte[]> rebuilt) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream file = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e : in.stream().toList()) {
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                byte[] replaced = rebuilt.get(e.getName());
                if (replaced != null) {
                    out.write(replaced);
                } else {
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                }
            }
        }
    }

    /** The classes a jar's META-INF/services files name (ServiceLoader's providers), but the warm-up providers. */
    static Set<String> serviceProviders(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.startsWith("META-INF/services/") && !name.endsWith("/") && !name.equals(WARM_UP_SERVICES)) {
                    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                        String provider = line.replaceAll("#.*", "").strip();
                        if (!provider.isEmpty()) {
                            names.add(provider);
                        }
                    }
                }
            }
        }
        return names;
    }

    interface ClassVisitor {
        void visit(String internalName, byte[] bytes) throws IOException;
    }

    static void forEachClass(Path jar, ClassVisitor visitor) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                    visitor.visit(name.substring(0, name.length() - ".class".length()), in.readAllBytes());
                }
            }
        }
    }

    /** The classes a class file names: class constants, descriptors (members, calls, method types), class-like strings. */
    static final class ClassRefs {
        private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([^;<>]+);");

        static Set<String> of(byte[] classFile, Set<String> candidates) {
            try {
                return parse(classFile, candidates);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Set<String> parse(byte[] classFile, Set<String> candidates) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            List<Integer> classes = new ArrayList<>();
            List<Integer> descriptors = new ArrayList<>();
            List<Integer> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classes.add(in.readUnsignedShort());
                    case 8 -> strings.add(in.readUnsignedShort());
                    case 16 -> descriptors.add(in.readUnsignedShort());
                    case 19, 20 -> in.readUnsignedShort();
                    case 12 -> {
                        in.readUnsignedShort();
                        descriptors.add(in.readUnsignedShort());
                    }
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++;
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            in.skipNBytes(6); // access flags, this class, super class (both class constants, counted above)
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces (class constants)
            for (int members = 0; members < 2; members++) { // fields, then methods: their descriptors
                int n = in.readUnsignedShort();
                for (int m = 0; m < n; m++) {
                    in.skipNBytes(4);
                    descriptors.add(in.readUnsignedShort());
                    int attributes = in.readUnsignedShort();
                    for (int a = 0; a < attributes; a++) {
                        in.skipNBytes(2);
                        in.skipNBytes(in.readInt());
                    }
                }
            }
            Set<String> refs = new HashSet<>();
            for (int c : classes) {
                String name = utf8[c];
                if (name.startsWith("[")) {
                    descriptorClasses(name, refs);
                } else {
                    refs.add(name);
                }
            }
            for (int d : descriptors) {
                descriptorClasses(utf8[d], refs);
            }
            for (int s : strings) {
                String name = utf8[s].replace('.', '/');
                if (candidates.contains(name)) {
                    refs.add(name);
                }
            }
            return refs;
        }

        private static void descriptorClasses(String descriptor, Set<String> into) {
            Matcher m = DESCRIPTOR_CLASS.matcher(descriptor);
            while (m.find()) {
                into.add(m.group(1));
            }
        }
    }
}
