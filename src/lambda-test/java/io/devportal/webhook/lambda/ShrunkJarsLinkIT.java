package io.devportal.webhook.lambda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beyond the paths {@link ShrunkFunctionIT} runs: in a class loader over the unpacked function.zip
 * alone, every class left in the four shrunk AWS SDK jars loads, links and initializes, with the
 * types of all its members (so no class a kept method, field or constructor names is missing), and
 * every field and method that the application's own classes (the zip's root) use in those jars is
 * there. Together with the reachability the shrink computes, that leaves only a look-up by a name
 * computed at run time able to need a removed class.
 */
class ShrunkJarsLinkIT {
    static final List<String> PACKAGES = List.of("software/amazon/awssdk/services/apigateway/",
            "software/amazon/awssdk/services/cognitoidentityprovider/", "software/amazon/awssdk/services/dynamodb/",
            "software/amazon/awssdk/services/sts/");

    @Test
    void everyKeptClassLinksAndEveryMemberTheApplicationUsesIsThere() throws Exception {
        Path dir = Files.createTempDirectory("shrunk-link");
        ShrunkFunctionIT.unzip(FunctionZipIT.zip(), dir);
        List<URL> urls = new ArrayList<>(List.of(dir.toUri().toURL()));
        List<String> shrunk = new ArrayList<>();
        try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                urls.add(jar.toUri().toURL());
                if (FunctionZipIT.SHRUNK.stream().anyMatch(jar.getFileName().toString()::startsWith)) {
                    try (ZipFile z = new ZipFile(jar.toFile())) {
                        z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(shrunk::add);
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>();
        int members = 0;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String file : shrunk) {
                String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
                try {
                    Class<?> c = Class.forName(name, true, loader);
                    c.getDeclaredMethods();
                    c.getDeclaredFields();
                    c.getDeclaredConstructors();
                } catch (Throwable t) {
                    failures.add(name + ": " + t);
                }
            }
            List<Path> roots;
            try (Stream<Path> files = Files.walk(dir)) {
                roots = files.filter(p -> p.toString().endsWith(".class") && !p.startsWith(dir.resolve("lib"))).toList();
            }
            for (Path root : roots) {
                for (String[] ref : memberRefs(Files.readAllBytes(root))) {
                    if (PACKAGES.stream().anyMatch(ref[0]::startsWith)) {
                        members++;
                        String missing = missing(loader, ref[0], ref[1], ref[2], ref[3].equals("F"));
                        if (missing != null) {
                            failures.add(dir.relativize(root) + " -> " + ref[0] + "." + ref[1] + ref[2] + ": " + missing);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(shrunk.size() > 1000 && members > 100, shrunk.size() + " classes, " + members + " member references checked");
    }

    /** Null if the class or one of its supertypes declares the member, else why not. */
    static String missing(ClassLoader loader, String owner, String name, String descriptor, boolean field) {
        try {
            Class<?> start = Class.forName(owner.replace('/', '.'), false, loader);
            ArrayDeque<Class<?>> todo = new ArrayDeque<>(List.of(start));
            Set<Class<?>> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                Class<?> c = todo.poll();
                if (!seen.add(c)) {
                    continue;
                }
                if (field) {
                    for (Field f : c.getDeclaredFields()) {
                        if (f.getName().equals(name) && f.getType().descriptorString().equals(descriptor)) {
                            return null;
                        }
                    }
                } else {
                    List<Executable> executables = new ArrayList<>(List.of(c.getDeclaredMethods()));
                    executables.addAll(List.of(c.getDeclaredConstructors()));
                    for (Executable e : executables) {
                        String n = e instanceof Constructor<?> ? "<init>" : e.getName();
                        Class<?> returns = e instanceof Method m ? m.getReturnType() : void.class;
                        if (n.equals(name) && MethodType.methodType(returns, e.getParameterTypes()).toMethodDescriptorString()
                                .equals(descriptor)) {
                            return null;
                        }
                    }
                }
                if (c.getSuperclass() != null) {
                    todo.add(c.getSuperclass());
                }
                todo.addAll(List.of(c.getInterfaces()));
            }
            for (Method m : Object.class.getDeclaredMethods()) {
                if (!field && m.getName().equals(name)) {
                    return null;
                }
            }
            return "not found";
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /** A class file's field and method references: owner, name, descriptor, "F" or "M". */
    static List<String[]> memberRefs(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipNBytes(8);
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> pool[i] = in.readUnsignedShort();
                case 9, 10, 11, 12 -> pool[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> in.skipNBytes(3);
                case 3, 4, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        List<String[]> refs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                int[] ref = (int[]) pool[i];
                int[] nameAndType = (int[]) pool[ref[1]];
                refs.add(new String[] {(String) pool[(Integer) pool[ref[0]]], (String) pool[nameAndType[0]],
                        (String) pool[nameAndType[1]], tags[i] == 9 ? "F" : "M"});
            }
        }
        return refs;
    }
}
