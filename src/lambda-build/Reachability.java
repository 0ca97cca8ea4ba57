import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * ShrinkFunction's second pass: of ProGuard's output, the classes that a kept class names, starting
 * from every class outside the shrunk jars and the classes loaded by name (service providers and
 * {@link ShrinkFunction#LOADED_BY_NAME}); and the class walk over a jar both passes use.
 */
final class Reachability {
    /** Resources dropped with the classes they name: the SDK's warm-up providers (SdkWarmUp only). */
    static final String WARM_UP_SERVICES = "META-INF/services/software.amazon.awssdk.core.warmup.SdkWarmUpProvider";

    private Reachability() {
    }

    /** The candidates named, transitively, by the classes outside the shrunk jars and by the classes loaded by name. */
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

    /** The classes a jar's META-INF/services files name (ServiceLoader's providers), but the warm-up providers. */
    static Set<String> serviceProviders(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.startsWith("META-INF/services/") && !name.endsWith("/") && !name.equals(WARM_UP_SERVICES)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
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

    /** Each class file of a jar (not its META-INF/ entries, not module-info), by internal name. */
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
}
