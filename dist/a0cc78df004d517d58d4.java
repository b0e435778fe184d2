// tls-floor's Java client, run by the JDK's source launcher (java FILE.java, Java 11+), standard
// library only. Reads a job (JSON) on stdin, writes one JSON document on stdout: the format every
// script client shares (probe/clients/script_client.ts). It judges no error: a failed request is
// reported as 'tls' with the exception's text, which the action classifies (tls_errors.ts).
//
// The run's CA is trusted through the runtime's own mechanism: a PKCS12 trust store written for
// the run and named by javax.net.ssl.trustStore before the default SSLContext exists.
// default: java.net.http.HttpClient as newHttpClient() makes it; urlconnection: HttpsURLConnection
// with its defaults. strict: an HttpClient whose SSLParameters ask for every protocol from TLSv1
// and every cipher suite the provider supports (what a program can ask for; what
// jdk.tls.disabledAlgorithms disables stays disabled). Each connects through a CONNECT relay in
// this process, which learns this end's port (the server's record carries it); the TLS handshake
// is the client's own, end to end.
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.time.Duration;
import java.util.*;
import java.util.regex.*;
import javax.net.ssl.*;

public class java_probe {
  static final List<Integer> ports = Collections.synchronizedList(new ArrayList<>());

  /** A CONNECT relay on 127.0.0.1: each tunnel to 127.0.0.1:PORT, its local port recorded. */
  static int relay() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (true) {
        try {
          Socket in = server.accept();
          new Thread(() -> tunnel(in)).start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  static void tunnel(Socket in) {
    try (in) {
      InputStream is = in.getInputStream();
      String head = readHead(is);
      Matcher m = Pattern.compile("^CONNECT [^ ]*:(\\d+) ").matcher(head);
      if (!m.find()) return;
      try (Socket out = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)))) {
        ports.add(out.getLocalPort());
        in.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        in.getOutputStream().flush();
        Thread back = new Thread(() -> pipe(out, in));
        back.setDaemon(true);
        back.start();
        pipe(in, out);
        back.join(2000);
      }
    } catch (Exception e) {
      // the client sees the tunnel close
    }
  }

  static String readHead(InputStream is) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = is.read()) >= 0 && sb.length() < 8192) {
      sb.append((char) c);
      if (sb.toString().endsWith("\r\n\r\n")) break;
    }
    return sb.toString();
  }

  static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      try { to.close(); } catch (IOException ignored) { }
    }
  }

  static String json(Object o) {
    if (o == null) return "null";
    if (o instanceof Number || o instanceof Boolean) return o.toString();
    if (o instanceof Map) {
      StringJoiner j = new StringJoiner(",", "{", "}");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) j.add(json(String.valueOf(e.getKey())) + ":" + json(e.getValue()));
      return j.toString();
    }
    if (o instanceof Collection) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      for (Object x : (Collection<?>) o) j.add(json(x));
      return j.toString();
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : o.toString().toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** The job's few fields, read without a JSON library: the action writes it, in one known shape. */
  static String field(String job, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\d+))").matcher(job);
    if (!m.find()) throw new IllegalArgumentException("no " + name);
    return m.group(2) != null ? m.group(2).replace("\\\\", "\\").replace("\\\"", "\"") : m.group(3);
  }

  static Map<String, Object> outcome(Throwable e) {
    Map<String, Object> h = new LinkedHashMap<>();
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (chain.length() > 0) chain.append(" <- ");
      chain.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    boolean timeout = e instanceof HttpTimeoutException || e instanceof SocketTimeoutException;
    h.put("outcome", timeout ? "timeout" : "tls");
    String text = chain.toString().replace('\n', ' ');
    h.put("error", text.length() > 400 ? text.substring(0, 400) : text);
    return h;
  }

  static final Pattern VERSION = Pattern.compile("^TLSv1(\\.[0-3])?$");

  static Map<String, Object> viaHttpClient(HttpClient client, int port, int timeoutMs) {
    Map<String, Object> h;
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
          .timeout(Duration.ofMillis(timeoutMs)).build();
      HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
      h = new LinkedHashMap<>();
      h.put("outcome", "connected");
      SSLSession session = resp.sslSession().orElse(null);
      if (session != null) {
        h.put("version", session.getProtocol());
        h.put("cipher", session.getCipherSuite());
      }
    } catch (Exception e) {
      h = outcome(e);
    }
    return h;
  }

  static Map<String, Object> viaUrlConnection(Proxy proxy, int port, int timeoutMs) {
    Map<String, Object> h = new LinkedHashMap<>();
    HttpsURLConnection c = null;
    try {
      c = (HttpsURLConnection) new URL("https://localhost:" + port + "/").openConnection(proxy);
      c.setConnectTimeout(timeoutMs);
      c.setReadTimeout(timeoutMs);
      c.connect();
      h.put("outcome", "connected");
      h.put("cipher", c.getCipherSuite());
      // HttpsURLConnection names no protocol; the server's record of the connection has it.
      try (InputStream is = c.getInputStream()) { is.readNBytes(65536); } catch (IOException ignored) { }
    } catch (Exception e) {
      h = outcome(e);
    } finally {
      if (c != null) c.disconnect();
    }
    return h;
  }

  public static void main(String[] args) throws Exception {
    String job = new String(System.in.readNBytes(1 << 20), StandardCharsets.UTF_8);
    String caFile = field(job, "caFile");
    int timeoutMs = Integer.parseInt(field(job, "timeoutMs"));
    Path store = trustStore(caFile);
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    System.setProperty("javax.net.ssl.trustStorePassword", "tls-floor");
    Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), relay()));
    ProxySelector selector = new ProxySelector() {
      public List<Proxy> select(URI uri) { return List.of(proxy); }
      public void connectFailed(URI uri, SocketAddress sa, IOException e) { }
    };
    Duration connect = Duration.ofMillis(timeoutMs);
    HttpClient byDefault = HttpClient.newBuilder().proxy(selector).connectTimeout(connect).build();
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    List<String> protocols = new ArrayList<>();
    for (String p : context.getSupportedSSLParameters().getProtocols()) if (VERSION.matcher(p).matches()) protocols.add(p);
    String[] suites = context.getSupportedSSLParameters().getCipherSuites();
    SSLParameters params = new SSLParameters(suites, protocols.toArray(new String[0]));
    HttpClient strict = HttpClient.newBuilder().proxy(selector).connectTimeout(connect).sslContext(context).sslParameters(params).build();

    Map<String, Object> clients = new LinkedHashMap<>();
    clients.put("default", Map.of("client", "java.net.http.HttpClient (newHttpClient's SSLContext and parameters)", "protocols", "JSSE default", "ciphers", "JSSE default"));
    clients.put("urlconnection", Map.of("client", "javax.net.ssl.HttpsURLConnection (defaults)", "protocols", "JSSE default", "ciphers", "JSSE default"));
    clients.put("strict", Map.of("client", "java.net.http.HttpClient with SSLParameters", "protocols", String.join(",", protocols), "ciphers", String.join(":", suites)));

    List<Object> handshakes = new ArrayList<>();
    Matcher targets = Pattern.compile("\\{\"id\":\"((?:[^\"\\\\]|\\\\.)*)\",\"port\":(\\d+)\\}").matcher(job);
    List<String[]> list = new ArrayList<>();
    while (targets.find()) list.add(new String[] { targets.group(1), targets.group(2) });
    for (String mode : List.of("default", "urlconnection", "strict")) {
      for (String[] t : list) {
        int port = Integer.parseInt(t[1]);
        ports.clear();
        Map<String, Object> h = mode.equals("urlconnection") ? viaUrlConnection(proxy, port, timeoutMs)
            : viaHttpClient(mode.equals("strict") ? strict : byDefault, port, timeoutMs);
        Thread.sleep(20); // the relay records the port before it tunnels; let a late close settle
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("server", t[0]);
        out.put("client", mode);
        out.putAll(h);
        synchronized (ports) { out.put("ports", new ArrayList<>(ports)); }
        handshakes.add(out);
      }
    }
    Map<String, Object> runtime = new LinkedHashMap<>();
    runtime.put("java", System.getProperty("java.runtime.version"));
    runtime.put("vendor", System.getProperty("java.vendor"));
    runtime.put("javaHome", System.getProperty("java.home"));
    runtime.put("jdk.tls.disabledAlgorithms", Security.getProperty("jdk.tls.disabledAlgorithms"));
    runtime.put("jdk.tls.client.protocols", Objects.toString(System.getProperty("jdk.tls.client.protocols"), "not set"));
    runtime.put("java.security.properties", Objects.toString(System.getProperty("java.security.properties"), "not set"));
    runtime.put("JAVA_TOOL_OPTIONS", Objects.toString(System.getenv("JAVA_TOOL_OPTIONS"), "not set"));
    runtime.put("defaultProtocols", String.join(",", SSLContext.getDefault().getDefaultSSLParameters().getProtocols()));
    runtime.put("provider", context.getProvider().getName() + " " + context.getProvider().getVersionStr());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("runtime", runtime);
    report.put("clients", clients);
    report.put("handshakes", handshakes);
    System.out.print(json(report));
    System.out.flush();
    Files.deleteIfExists(store);
    System.exit(0);
  }

  /** The run's CA as a PKCS12 trust store beside the CA file (the run's own folder). */
  static Path trustStore(String caFile) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    try (InputStream in = Files.newInputStream(Path.of(caFile))) {
      for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
    }
    Path store = Path.of(caFile + ".truststore.p12");
    try (OutputStream out = Files.newOutputStream(store)) { ks.store(out, "tls-floor".toCharArray()); }
    return store;
  }
}
