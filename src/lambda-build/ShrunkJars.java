import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * ShrinkFunction's last step: each shrunk jar rebuilt from its original, with only the kept classes
 * (as ProGuard wrote them), and the zip rewritten with the rebuilt jars in place of the originals.
 * Entry names, order and times are the original's, so that the build is reproducible.
 */
final class ShrunkJars {
    private ShrunkJars() {
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
                } else if (name.equals(Reachability.WARM_UP_SERVICES)) {
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
}
