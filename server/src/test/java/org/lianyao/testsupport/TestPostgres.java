package org.lianyao.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL database of one test run. The server comes from {@code LIANYAO_TEST_POSTGRES_URL}
 * (system property {@code lianyao.test.postgres.url}): a JDBC URL to an existing server and its
 * maintenance database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
 * Without it, Testcontainers starts one when a Docker engine is available. Either way the run
 * creates its own database and drops it at the end, so runs never collide.
 */
public final class TestPostgres {

  private static String jdbcUrl;
  private static String username;
  private static String password;

  private TestPostgres() {}

  public static synchronized String jdbcUrl() {
    if (jdbcUrl == null) {
      start();
    }
    return jdbcUrl;
  }

  public static synchronized String username() {
    jdbcUrl();
    return username;
  }

  public static synchronized String password() {
    jdbcUrl();
    return password;
  }

  /** Creates another fresh database on the same server (e.g. a HIS intermediate database). */
  public static synchronized String createDatabase(String purpose) {
    String maintenanceUrl = maintenanceUrl();
    String name = "lianyao_" + purpose + "_"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    execute(maintenanceUrl, "CREATE DATABASE " + name);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(maintenanceUrl, name)));
    return withDatabase(maintenanceUrl, name);
  }

  private static String maintenanceUrlValue;

  private static String maintenanceUrl() {
    if (maintenanceUrlValue != null) {
      return maintenanceUrlValue;
    }
    String configured = System.getProperty("lianyao.test.postgres.url");
    if (configured == null || configured.isBlank() || configured.startsWith("${")) {
      configured = System.getenv("LIANYAO_TEST_POSTGRES_URL");
    }
    if (configured != null && !configured.isBlank()) {
      maintenanceUrlValue = configured;
      username = System.getenv().getOrDefault("LIANYAO_TEST_POSTGRES_USER", null);
      password = System.getenv().getOrDefault("LIANYAO_TEST_POSTGRES_PASSWORD", null);
      return maintenanceUrlValue;
    }
    if (dockerAvailable()) {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      username = container.getUsername();
      password = container.getPassword();
      maintenanceUrlValue = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
          + "user=" + username + "&password=" + password;
      return maintenanceUrlValue;
    }
    throw new IllegalStateException("""
        No PostgreSQL for the integration tests. Either
          - set LIANYAO_TEST_POSTGRES_URL to a JDBC URL of an existing server and its maintenance
            database, e.g. export LIANYAO_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres'
            (.ci/run does this for the local server), or
          - run where a Docker engine is available, so Testcontainers can start PostgreSQL.""");
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void start() {
    jdbcUrl = createDatabase("test");
  }

  static String withDatabase(String url, String database) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalStateException("LIANYAO_TEST_POSTGRES_URL must be a jdbc:postgresql: URL, was " + url);
    }
    URI uri = URI.create(url.substring("jdbc:".length()));
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String authority = uri.getRawAuthority() == null ? "" : "//" + uri.getRawAuthority();
    return "jdbc:" + uri.getScheme() + ":" + authority + "/" + database + query;
  }

  private static void drop(String maintenanceUrl, String name) {
    // Spring's own shutdown hook closes the cached test contexts concurrently: give their pools a
    // moment to disconnect so that FORCE does not cut a running HAPI job mid-statement.
    waitForNoConnections(maintenanceUrl, name);
    try {
      execute(maintenanceUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (RuntimeException e) {
      System.err.println("Could not drop test database " + name + ": " + e.getMessage());
    }
  }

  private static void waitForNoConnections(String maintenanceUrl, String name) {
    long deadline = System.currentTimeMillis() + 10_000;
    try (Connection c = DriverManager.getConnection(maintenanceUrl, username, password);
        java.sql.PreparedStatement ps = c.prepareStatement(
            "select count(*) from pg_stat_activity where datname = ?")) {
      ps.setString(1, name);
      while (System.currentTimeMillis() < deadline) {
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) == 0) {
            return;
          }
        }
        Thread.sleep(200);
      }
    } catch (SQLException e) {
      // fall through to the forced drop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url, username, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***")
          + " refused '" + sql + "': " + e.getMessage(), e);
    }
  }
}
