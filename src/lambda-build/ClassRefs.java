import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a class file names, read from its constant pool and member descriptors: class
 * constants, descriptors (members, calls, method types), and string constants that spell one of the
 * candidate classes (a class looked up by name). Used by {@link Reachability}.
 */
final class ClassRefs {
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([^;<>]+);");

    private ClassRefs() {
    }

    static Set<String> of(byte[] classFile, Set<String> candidates) {
        try {
            return parse(classFile, candidates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> parse(byte[] classFile, Set<String> candidates) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
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
