import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * ShrinkFunction's first pass: ProGuard on the shrunk jars as its program, every class outside them
 * kept whole (the roots), the other libraries and the JDK known, so that a method overriding a
 * library method stays.
 */
final class ProGuardPass {
    private ProGuardPass() {
    }

    /** ProGuard's output jar for each shrunk jar, by its entry name in the zip. */
    static Map<String, Path> run(Path app, Map<String, Path> shrunk, List<Path> libraries, Set<String> byName, Path work)
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
            Reachability.forEachClass(jar.getValue(), (name, bytes) ->
                    packages.add(name.substring(0, Math.max(0, name.lastIndexOf('/'))).replace('/', '.')));
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
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
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
}
