package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell commands of the docs' {@code bash} blocks, as a reader would type them, split into
 * words the way bash splits them, and {@code --parameter-overrides} read by the SAM CLI's own parser.
 */
final class DocCommands {
    private DocCommands() {
    }

    /** The commands of a Markdown file's bash blocks, continuation lines joined, comments dropped; one list per block. */
    static List<List<String>> commandBlocks(Path markdown) throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(markdown)) {
            String line = raw.strip();
            if (block == null) {
                if (line.equals("```bash")) {
                    block = new ArrayList<>();
                }
                continue;
            }
            if (line.equals("```")) {
                blocks.add(block);
                block = null;
                continue;
            }
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            line = line.replaceAll("\\s+# .*$", "");
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            block.add(pending.append(line).toString().replaceAll("\\s+", " ").strip());
            pending.setLength(0);
        }
        return blocks;
    }

    static List<String> allCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path doc : List.of(SamDeployDocTest.DOC, SamDeployDocTest.README)) {
            commandBlocks(doc).forEach(out::addAll);
        }
        return out;
    }

    /** The commands, each split at {@code &&}, that start with {@code sam }. */
    static List<String> samCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String command : allCommands()) {
            for (String part : command.split("&&")) {
                if (part.strip().startsWith("sam ")) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** Shell words: single quotes literal, double quotes with backslash escapes, bare backslash escapes. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == ' ') {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                word.append(command, i + 1, end);
                i = end;
            } else if (c == '"') {
                for (i++; command.charAt(i) != '"'; i++) {
                    if (command.charAt(i) == '\\' && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(command.charAt(i));
                }
            } else if (c == '\\') {
                word.append(command.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** What {@code --parameter-overrides} arguments mean to the SAM CLI: its own parser, in its virtualenv. */
    static Map<String, String> samParses(List<String> overrides) throws Exception {
        String sam = System.getProperty("sam.bin");
        assertTrue(sam != null && Files.isExecutable(Path.of(sam)), "the SAM CLI is not installed at " + sam);
        List<String> command = new ArrayList<>(List.of(Path.of(sam).resolveSibling("python").toString(), "-c",
                "import json, sys\nfrom samcli.cli.types import CfnParameterOverridesType\n"
                        + "print(json.dumps(CfnParameterOverridesType().convert(tuple(sys.argv[1:]), None, None)))"));
        command.addAll(overrides);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "SAM does not accept " + overrides + ": " + out);
        Map<String, String> parsed = new LinkedHashMap<>();
        new ObjectMapper().readTree(out).fields().forEachRemaining(e -> parsed.put(e.getKey(), e.getValue().asText()));
        return parsed;
    }

    /** The values after {@code --parameter-overrides} of one sam command, up to the next option. */
    static List<String> overridesOf(String samCommand) {
        List<String> w = words(samCommand);
        int at = w.indexOf("--parameter-overrides");
        List<String> out = new ArrayList<>();
        for (int i = at + 1; at >= 0 && i < w.size() && !w.get(i).startsWith("--"); i++) {
            out.add(w.get(i));
        }
        return out;
    }
}
