package org.convene.delivery;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message templates per locale: the operator's {@code templates/} folder first, the copies in the jar
 * second. Mustache without HTML escaping, because chat texts are plain and each platform escapes for
 * its own format.
 */
public final class Templates {
    private final Path dir;
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();
    private final Map<String, Properties> texts = new ConcurrentHashMap<>();
    private final DefaultMustacheFactory factory = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** @param dir the operator's templates folder; null or missing means the built-in ones only */
    public Templates(Path dir) {
        this.dir = dir;
    }

    public String render(String locale, String name, Object context) {
        Mustache mustache = compiled.computeIfAbsent(locale + "/" + name,
                key -> factory.compile(new StringReader(read(key + ".mustache")), key));
        StringWriter out = new StringWriter();
        mustache.execute(out, context);
        return out.toString().strip();
    }

    /** A short text by key; {@code {0}} in it is replaced by {@code arg}. */
    public String text(String locale, String key, String... args) {
        Properties p = texts.computeIfAbsent(locale, l -> {
            Properties props = new Properties();
            try (Reader reader = new StringReader(read(l + "/messages.properties"))) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return props;
        });
        String value = p.getProperty(key);
        if (value == null) throw new IllegalStateException("templates/" + locale + "/messages.properties has no " + key);
        for (int i = 0; i < args.length; i++) value = value.replace("{" + i + "}", args[i] == null ? "" : args[i]);
        return value;
    }

    private String read(String relative) {
        try {
            if (dir != null) {
                Path file = dir.resolve(relative);
                if (Files.isRegularFile(file)) return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = Templates.class.getResourceAsStream("/templates/" + relative)) {
                if (in == null) throw new IllegalStateException("no template " + relative + " in " + dir + " nor in the jar");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
