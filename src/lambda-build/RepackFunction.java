import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Repacks the Lambda's function.zip (docs/cold-start.md, "A smaller function"), after
 * ShrinkFunction: every jar in it is rewritten with its entries stored (not compressed), same
 * names, order, times and contents, and the zip itself is compressed at level 9. One deflate stream
 * per jar compresses its many small class files together far better than one deflate per class
 * file does, so the zip is smaller; the JVM then reads the classes without inflating them; the zip
 * unpacked (Lambda's /var/task) is larger for it. Run by the lambda profile:
 * {@code java -cp <src/lambda-build compiled> RepackFunction <function.zip>}.
 */
public class RepackFunction {
    /** The zip's comment once repacked: a second run of the shrink or the repack on it does nothing. */
    static final String COMMENT = "devportal-webhook: SDK service jars shrunk, every jar stored (src/lambda-build)";

    static boolean repacked(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return COMMENT.equals(z.getComment());
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RepackFunction <function.zip>");
        }
        Path zip = Path.of(args[0]);
        if (repacked(zip)) {
            System.out.println("RepackFunction: " + zip.getFileName() + " is repacked already");
            return;
        }
        Path packed = zip.resolveSibling(zip.getFileName() + ".repacked");
        long before = Files.size(zip);
        try (ZipFile in = new ZipFile(zip.toFile()); OutputStream file = Files.newOutputStream(packed);
             ZipOutputStream out = new ZipOutputStream(file)) {
            out.setLevel(9);
            out.setComment(COMMENT);
            for (ZipEntry e : in.stream().toList()) {
                byte[] data;
                try (InputStream stream = in.getInputStream(e)) {
                    data = stream.readAllBytes();
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(e.getName().startsWith("lib/") && e.getName().endsWith(".jar") ? stored(data) : data);
            }
        }
        Files.move(packed, zip, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("RepackFunction: %s %,d -> %,d bytes%n", zip.getFileName(), before, Files.size(zip));
    }

    /** The same jar, its entries in the same order, with the same names, times and contents, all stored. */
    static byte[] stored(byte[] jar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(jar.length * 2);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(data.length);
                copy.setCompressedSize(data.length);
                copy.setCrc(crc.getValue());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(data);
            }
        }
        return bytes.toByteArray();
    }
}
