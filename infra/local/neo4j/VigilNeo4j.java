import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Neo4j 5 community in-process (test harness) with Bolt on a fixed port, for machines without
 * Docker. Started by infra/local/launcher.mjs; runs until SIGTERM/SIGINT.
 *
 * <p>Arguments: runDir dataDir logsDir boltPort httpPort(0 = off) pageCacheMiB
 *
 * <p>The harness gives every start a fresh home folder under runDir and deletes it on close, so
 * the data directory is set outside it to keep the graph across restarts.
 */
public final class VigilNeo4j {
  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(args[0]).toAbsolutePath();
    Path dataDir = Path.of(args[1]).toAbsolutePath();
    Path logsDir = Path.of(args[2]).toAbsolutePath();
    int boltPort = Integer.parseInt(args[3]);
    int httpPort = Integer.parseInt(args[4]);
    long pageCacheBytes = Long.parseLong(args[5]) * 1024 * 1024;
    Files.createDirectories(runDir);
    Files.createDirectories(dataDir);
    Files.createDirectories(logsDir);

    Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(runDir)
        .withConfig(GraphDatabaseSettings.data_directory, dataDir)
        .withConfig(GraphDatabaseSettings.logs_directory, logsDir)
        .withConfig(GraphDatabaseSettings.auth_enabled, false)
        .withConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
        .withConfig(BoltConnector.enabled, true)
        .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
        .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
        .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .withConfig(HttpsConnector.enabled, false)
        .withConfig(HttpConnector.enabled, httpPort > 0);
    if (httpPort > 0) {
      builder = builder.withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort));
    }

    Neo4j neo4j = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM/SIGINT run shutdown hooks: close the database so the store is clean on disk.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("VIGIL_NEO4J_STOPPING");
      try {
        neo4j.close();
      } finally {
        stopped.countDown();
      }
    }, "vigil-neo4j-shutdown"));
    System.out.println("VIGIL_NEO4J_READY bolt=" + neo4j.boltURI() + (httpPort > 0 ? " http=" + neo4j.httpURI() : ""));
    stopped.await();
  }
}
