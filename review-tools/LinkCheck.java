import java.io.*;
import java.lang.invoke.MethodType;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.*;

public class LinkCheck {
    static final String[] SHRUNK = {"software.amazon.awssdk.apigateway-", "software.amazon.awssdk.cognitoidentityprovider-", "software.amazon.awssdk.dynamodb-", "software.amazon.awssdk.sts-"};
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        List<URL> urls = new ArrayList<>();
        urls.add(dir.toUri().toURL());
        Map<String, byte[]> shrunkClasses = new TreeMap<>(), otherClasses = new TreeMap<>();
        try (var s = Files.list(dir.resolve("lib"))) {
            for (Path j : s.sorted().toList()) {
                urls.add(j.toUri().toURL());
                boolean sh = Arrays.stream(SHRUNK).anyMatch(p -> j.getFileName().toString().startsWith(p));
                try (ZipFile z = new ZipFile(j.toFile())) {
                    for (ZipEntry e : Collections.list(z.entries())) {
                        String n = e.getName();
                        if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.contains("module-info")) {
                            byte[] b = z.getInputStream(e).readAllBytes();
                            (sh ? shrunkClasses : otherClasses).put(n.substring(0, n.length() - 6), b);
                        }
                    }
                }
            }
        }
        try (var w = Files.walk(dir)) {
            for (Path p : w.filter(p -> p.toString().endsWith(".class") && !p.startsWith(dir.resolve("lib"))).toList()) {
                String n = dir.relativize(p).toString();
                otherClasses.put(n.substring(0, n.length() - 6), Files.readAllBytes(p));
            }
        }
        Set<String> pk = new HashSet<>();
        String[] pfx = {"software/amazon/awssdk/services/apigateway", "software/amazon/awssdk/services/cognitoidentityprovider", "software/amazon/awssdk/services/dynamodb", "software/amazon/awssdk/services/sts"};
        URLClassLoader cl = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        List<String> out = new ArrayList<>();
        boolean init = a.length > 1 && a[1].equals("init");
        // 1. every class of the shrunk jars: link (and init)
        for (String n : shrunkClasses.keySet()) link(cl, n, init, out);
        // 2. every other class naming a shrunk-jar class: link; and its member refs into the shrunk jars resolve
        int refs = 0;
        for (var e : otherClasses.entrySet()) {
            List<String[]> mrefs = new ArrayList<>();
            Set<String> cls = new HashSet<>();
            cp(e.getValue(), cls, mrefs);
            boolean names = false;
            for (String c : cls) for (String p : pfx) if (c.startsWith(p) || c.contains("L" + p)) names = true;
            if (!names && System.getenv("ALL") == null) continue;
            link(cl, e.getKey(), false, out);
            for (String[] m : mrefs) {
                String owner = m[0];
                if (owner.startsWith("[")) continue;
                boolean inShr = false; for (String p : pfx) if (owner.startsWith(p)) inShr = true;
                if (!inShr) continue;
                refs++;
                String r = resolve(cl, owner, m[1], m[2], m[3]);
                if (r != null) out.add("REF " + e.getKey() + " -> " + owner + "." + m[1] + m[2] + ": " + r);
            }
        }
        System.err.println("member refs checked: " + refs);
        for (String s : out) System.out.println(s);
    }
    static void link(ClassLoader cl, String n, boolean init, List<String> out) {
        try {
            Class<?> c = Class.forName(n.replace('/', '.'), init, cl);
            c.getDeclaredMethods(); c.getDeclaredFields(); c.getDeclaredConstructors();
        } catch (Throwable t) {
            out.add("LINK " + n + ": " + t);
        }
    }
    static String resolve(ClassLoader cl, String owner, String name, String desc, String kind) {
        try {
            Class<?> c = Class.forName(owner.replace('/', '.'), false, cl);
            Deque<Class<?>> todo = new ArrayDeque<>(List.of(c));
            Set<Class<?>> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                Class<?> k = todo.poll();
                if (!seen.add(k)) continue;
                if (kind.equals("F")) {
                    for (Field f : k.getDeclaredFields()) if (f.getName().equals(name) && f.getType().descriptorString().equals(desc)) return null;
                } else if (name.equals("<init>")) {
                    for (Constructor<?> m : k.getDeclaredConstructors()) if (MethodType.methodType(void.class, m.getParameterTypes()).toMethodDescriptorString().equals(desc)) return null;
                    if (k == c) return "no such constructor";
                } else {
                    for (Method m : k.getDeclaredMethods()) if (m.getName().equals(name) && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(desc)) return null;
                }
                if (k.getSuperclass() != null) todo.add(k.getSuperclass());
                todo.addAll(List.of(k.getInterfaces()));
            }
            if (!kind.equals("F") && name.equals("<init>")) return "no ctor";
            Class<?> o = Object.class; for (Method m : o.getDeclaredMethods()) if (m.getName().equals(name)) return null;
            return "not found";
        } catch (Throwable t) { return t.toString(); }
    }
    static void cp(byte[] b, Set<String> classes, List<String[]> mrefs) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        in.readInt(); in.readUnsignedShort(); in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Object[] cp = new Object[count]; int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte(); tags[i] = tag;
            switch (tag) {
                case 1 -> cp[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> cp[i] = in.readUnsignedShort();
                case 9, 10, 11, 12 -> cp[i] = new int[]{in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> { in.readUnsignedByte(); cp[i] = in.readUnsignedShort(); }
                case 3, 4 -> in.skipNBytes(4);
                case 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> { in.skipNBytes(8); i++; }
                default -> throw new IOException("tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7) classes.add((String) cp[(Integer) cp[i]]);
            if (tags[i] == 12) classes.add((String) cp[((int[]) cp[i])[1]]);
            if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                int[] r = (int[]) cp[i];
                String owner = (String) cp[(Integer) cp[r[0]]];
                int[] nt = (int[]) cp[r[1]];
                mrefs.add(new String[]{owner, (String) cp[nt[0]], (String) cp[nt[1]], tags[i] == 9 ? "F" : "M"});
            }
        }
    }
}
