package io.ecgsentinel.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafkaBroker} as a stand-alone process until Ctrl-C, printing its bootstrap
 * servers, so that the simulator, a Flink job or an independent client such as {@code kcat} can be
 * pointed at a real broker without Docker. A shutdown hook closes the broker and deletes its data
 * directory on Ctrl-C or SIGTERM.
 *
 * <pre>
 * java -cp ... io.ecgsentinel.kafka.EmbeddedKafkaMain [--port N] [--topic NAME[:PARTITIONS]]... [--property KEY=VALUE]...
 * mvn -pl embedded-kafka exec:exec -Dbroker.args="--port 9092 --topic ecg.frames.v1:4"
 * kcat -b 127.0.0.1:9092 -L
 * </pre>
 */
public final class EmbeddedKafkaMain {
    private static final String LOG_CONFIG = "io/ecgsentinel/kafka/embedded-kafka-main-log4j2.properties";

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        // Kafka logs a great deal at INFO; keep the console to our own lines unless the user chose a config.
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(options.port)
                .brokerProperties(options.properties)
                .start();
        String bootstrap = broker.bootstrapServers();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping embedded Kafka at " + bootstrap + " ...");
            broker.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "embedded-kafka-main-shutdown"));

        try {
            broker.createTopics(options.topics);
        } catch (RuntimeException e) {
            System.err.println("Could not create topics " + options.topics.keySet() + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.println("Embedded Kafka started in " + broker.startupDuration().toMillis() + " ms");
        options.topics.forEach((name, partitions) ->
                System.out.println("  topic " + name + " (" + partitions + " partitions)"));
        System.out.println("bootstrap.servers=" + bootstrap);
        System.out.println("Try: kcat -b " + bootstrap + " -L    (Ctrl-C stops the broker)");
        System.out.flush();
        stopped.await();
    }

    /** Command-line flags. */
    static final class Options {
        static final String USAGE = "Usage: EmbeddedKafkaMain [--port N] [--topic NAME[:PARTITIONS]]... "
                + "[--property KEY=VALUE]...\n"
                + "  --port N          client port (default: a free port)\n"
                + "  --topic T[:P]     create topic T with P partitions (default 1); repeatable\n"
                + "  --property K=V    extra broker property, e.g. transaction.max.timeout.ms=900000; repeatable";

        int port;
        boolean help;
        final Map<String, Integer> topics = new LinkedHashMap<>();
        final Map<String, String> properties = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> o.help = true;
                    case "--port" -> o.port = parsePort(value(args, ++i, arg));
                    case "--topic" -> {
                        String v = value(args, ++i, arg);
                        int colon = v.lastIndexOf(':');
                        String name = colon < 0 ? v : v.substring(0, colon);
                        int partitions = colon < 0 ? 1 : parsePositive(v.substring(colon + 1), arg);
                        if (name.isBlank()) {
                            throw new IllegalArgumentException("--topic needs a name, was '" + v + "'");
                        }
                        o.topics.put(name, partitions);
                    }
                    case "--property" -> {
                        String v = value(args, ++i, arg);
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--property needs KEY=VALUE, was '" + v + "'");
                        }
                        o.properties.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
                    }
                    default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int parsePort(String v) {
            try {
                int port = Integer.parseInt(v);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port must be 0..65535, was '" + v + "'");
            }
        }

        private static int parsePositive(String v, String flag) {
            try {
                int n = Integer.parseInt(v);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " partitions must be a positive integer, was '" + v + "'");
            }
        }
    }
}
