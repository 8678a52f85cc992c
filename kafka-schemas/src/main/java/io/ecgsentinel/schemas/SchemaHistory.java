package io.ecgsentinel.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version ever shipped, loaded from the classpath folder {@value #RESOURCE_DIR}. A
 * single-object message names its writer schema only by fingerprint, so a reader can decode data written
 * by an older (or newer) producer only if it knows that exact schema: this class is where those schemas
 * live. Files are listed in {@value #INDEX} (resource folders cannot be listed portably inside jars);
 * add {@code <Name>.v<N>.avsc} and a line there whenever a schema in {@code src/main/avro} changes.
 */
public final class SchemaHistory {

    /** Classpath folder holding {@code <Name>.v<N>.avsc} files. */
    public static final String RESOURCE_DIR = "io/ecgsentinel/schemas/history/";

    /** Classpath resource listing the history files, one file name per line ({@code #} comments). */
    public static final String INDEX = RESOURCE_DIR + "index.txt";

    private static final List<Schema> SCHEMAS = load(SchemaHistory.class.getClassLoader());

    private static final SchemaStore STORE = storeOf(SCHEMAS);

    private SchemaHistory() {}

    /** All historical schema versions of all record types, in index order. */
    public static List<Schema> schemas() {
        return SCHEMAS;
    }

    /** An immutable, thread-safe store of {@link #schemas()} by parsing fingerprint. */
    public static SchemaStore store() {
        return STORE;
    }

    /** An immutable, thread-safe store of the given schemas by CRC-64-AVRO parsing fingerprint. */
    public static SchemaStore storeOf(List<Schema> schemas) {
        Map<Long, Schema> byFingerprint = new HashMap<>();
        for (Schema s : schemas) {
            byFingerprint.put(SchemaNormalization.parsingFingerprint64(s), s);
        }
        Map<Long, Schema> frozen = Map.copyOf(byFingerprint);
        return frozen::get;
    }

    /** The file names listed in the index, for tests that compare it with the folder's content. */
    static List<String> indexedFiles(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try (InputStream in = open(loader, INDEX);
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
        return names;
    }

    static List<Schema> load(ClassLoader loader) {
        List<Schema> schemas = new ArrayList<>();
        for (String name : indexedFiles(loader)) {
            // One parser per file: two versions of a record share a full name.
            try (InputStream in = open(loader, RESOURCE_DIR + name)) {
                schemas.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read history schema " + name, e);
            }
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException(INDEX + " lists no schema");
        }
        return List.copyOf(schemas);
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("missing classpath resource " + resource);
        }
        return in;
    }
}
