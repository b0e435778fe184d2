# tls-floor's awscrt client: the AWS Common Runtime's own TLS stack (s2n-tls on Linux, the
# platform's elsewhere), which boto3's CRT transfer manager (s3transfer.crt) and the AWS CLI v2
# use instead of Python's ssl module: the runtime's OpenSSL does not constrain it. Sent in the
# same -c script as python_libraries.py and python_probe.py (before them), so it must parse on
# every Python they parse on: no f-strings, no annotations.
#
# awscrt's sockets are native (Python's socket hooks never see them), so each connection goes
# through a byte relay on 127.0.0.1: awscrt connects to the relay, the relay to the server, and
# the relay's own connection (a Python socket) names the port the server's record carries. The
# relay copies bytes as they come: the TLS handshake is awscrt's, end to end.
import os
import select
import socket
import sys
import tempfile
import threading

AWSCRT_MODULES = ("awscrt", "awscrt.io", "awscrt.http")
AWSCRT_KINDS = ("awscrt-options", "awscrt-context")


def awscrt_kind(names):
    """The app kind of an awscrt object (names: its classes' qualified names), or None."""
    if "awscrt.io.TlsContextOptions" in names:
        return "awscrt-options"
    if "awscrt.io.ClientTlsContext" in names:
        return "awscrt-context"
    return None


# id(context) -> (context, the options it was made from), for the contexts made while the
# application's callable ran (awscrt keeps only its native binding, in slots).
MADE_CONTEXTS = {}


def remember_awscrt_options():
    """Keeps the options each ClientTlsContext is made from, so that an application's context
    can be made again with the run's CA added. Installed only where the application's module
    has imported awscrt."""
    io = sys.modules.get("awscrt.io")
    if io is None or MADE_CONTEXTS.get("installed"):
        return
    made = io.ClientTlsContext.__init__

    def init(context, options, *args, **kwargs):
        made(context, options, *args, **kwargs)
        MADE_CONTEXTS[id(context)] = (context, options)
    io.ClientTlsContext.__init__ = init
    MADE_CONTEXTS["installed"] = True


class ByteRelay(object):
    """Listens on 127.0.0.1 and joins each connection it accepts to one of its own to the
    server's port, copying bytes both ways until each side has closed; `ports` gets the local
    port of each connection to the server."""

    def __init__(self, target, timeout, ports):
        self.target = target
        self.timeout = timeout
        self.ports = ports
        self.sockets = []
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        thread = threading.Thread(target=self.accept)
        thread.daemon = True
        thread.start()

    def accept(self):
        while True:
            try:
                inner, _ = self.listener.accept()
            except OSError:
                return  # closed
            try:
                outer = socket.create_connection(("127.0.0.1", self.target), timeout=self.timeout)
            except OSError:
                inner.close()
                continue
            self.ports.append(outer.getsockname()[1])
            self.sockets.extend((inner, outer))
            thread = threading.Thread(target=self.copy, args=(inner, outer))
            thread.daemon = True
            thread.start()

    def copy(self, a, b):
        open_ends = {a: b, b: a}
        try:
            while open_ends:
                readable, _, _ = select.select(list(open_ends), [], [], self.timeout)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if data:
                        open_ends[sock].sendall(data)
                        continue
                    open_ends.pop(sock)
                    try:
                        (b if sock is a else a).shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
        except (OSError, ValueError):  # ValueError: select() on a socket close() has ended
            pass
        finally:
            a.close()
            b.close()

    def close(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting on it (Linux)
        except OSError:
            pass
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass


class AwscrtLog(object):
    """awscrt's own log (one per process, in a temporary file, removed as soon as it is open
    on both ends where the system allows): the only place awscrt 0.16 says why a negotiation
    failed (s2n's error, the alert the server sent). `since(offset)` reads what it wrote after
    `offset`, bounded."""
    reader = None
    lock = threading.Lock()

    @classmethod
    def start(cls, io):
        with cls.lock:
            if cls.reader is None:
                handle, path = tempfile.mkstemp(prefix="tls-floor-awscrt-", suffix=".log")
                io.init_logging(io.LogLevel.Debug, path)
                cls.reader = os.fdopen(handle, "rb")
                try:
                    os.unlink(path)
                except OSError:
                    pass  # Windows: an open file stays; it is in the temporary folder
            cls.reader.seek(0, os.SEEK_END)
            return cls.reader.tell()

    @classmethod
    def since(cls, offset, limit=1 << 20):
        with cls.lock:
            try:
                cls.reader.seek(offset)
                return cls.reader.read(limit).decode("utf-8", "replace")
            except (OSError, AttributeError):
                return ""


# TLS alert descriptions (RFC 8446 6.2, RFC 5246 7.2), in the words the shared list judges.
ALERTS = {40: "handshake failure", 42: "bad certificate", 43: "unsupported certificate",
          45: "certificate expired", 46: "certificate unknown", 47: "illegal parameter",
          48: "unknown ca", 50: "decode error", 70: "protocol version", 71: "insufficient security",
          80: "internal error", 86: "inappropriate fallback", 112: "unrecognized name"}


def negotiation_failure(log_text):
    """s2n's reason for the last failed negotiation in the log, with the alert it received."""
    reason = None
    alert = None
    for line in log_text.splitlines():
        if "negotiation failed with error " in line:
            reason = line.split("negotiation failed with error ", 1)[1].split(" (Error encountered", 1)[0].strip()
        elif "Alert code " in line:
            code = line.rsplit("Alert code ", 1)[1].strip()
            alert = "TLS alert %s (%s)" % (code, ALERTS.get(int(code), "unknown") if code.isdigit() else "?")
    if reason and alert:
        return "%s: %s" % (reason, alert)
    return reason or alert


def awscrt_bootstrap(io):
    """The client bootstrap the SDK builds (s3transfer.crt: EventLoopGroup, DefaultHostResolver)."""
    if not hasattr(awscrt_bootstrap, "made"):
        group = io.EventLoopGroup(1)
        awscrt_bootstrap.made = io.ClientBootstrap(group, io.DefaultHostResolver(group))
    return awscrt_bootstrap.made


def awscrt_get(io, http, tls_context, port, timeout, state):
    """One GET / to the server through awscrt's HTTP client and `tls_context`, by way of a relay."""
    recorder = current_recorder()
    relay = ByteRelay(port, timeout, recorder.ports if recorder is not None else [])
    try:
        options = tls_context.new_connection_options()
        options.set_server_name("localhost")
        connection = http.HttpClientConnection.new(
            host_name="localhost", port=relay.port, bootstrap=awscrt_bootstrap(io),
            socket_options=io.SocketOptions(), tls_connection_options=options).result(timeout)
        state["connected"] = True
        try:
            stream = connection.request(http.HttpRequest("GET", "/", http.HttpHeaders([("host", "localhost")])))
            stream.activate()
            stream.completion_future.result(timeout)
        finally:
            connection.close()
    finally:
        relay.close()


def awscrt_outcome(exc, state, log_text):
    """(outcome, reason) for what awscrt raised: 'tls' with s2n's reason for a failed negotiation
    (the action judges its text), a connection completed before the failure, or the rest."""
    name = str(getattr(exc, "name", "") or "")
    if state.get("connected"):
        return "connected", None
    if "TLS" in name or "NEGOTIATION" in name:
        return "tls", negotiation_failure(log_text) or name
    if "Timeout" in " ".join(c.__name__ for c in type(exc).__mro__) or "TIMEOUT" in name:
        return "timeout", None
    if "SOCKET" in name:
        return "network", name
    return "error", None


def awscrt_handshake(io, http, tls_context, target, timeout, entry):
    recorder = TLSRecorder()
    state = {}
    offset = AwscrtLog.start(io)
    try:
        with recorder:
            awscrt_get(io, http, tls_context, target["port"], timeout, state)
        entry["outcome"] = "connected"
    except Exception as exc:
        outcome, reason = awscrt_outcome(exc, state, AwscrtLog.since(offset))
        entry.update({"outcome": outcome, "reason": reason, "error": describe_error(exc)})
    finally:
        entry["ports"] = recorder.ports


def awscrt_settings(awscrt, io, options):
    """What the report says of awscrt and of the options a client connects through."""
    tls = {"linux": "s2n-tls (aws-c-io's TLS on Linux)", "darwin": "Apple Secure Transport (aws-c-io on macOS)",
           "win32": "Windows SChannel (aws-c-io on Windows)"}
    settings = {"version": str(getattr(awscrt, "__version__", "unknown")),
                "module": str(getattr(awscrt, "__file__", "")),
                "tlsImplementation": tls.get(sys.platform, "s2n-tls (aws-c-io on %s)" % sys.platform)}
    if options is not None:
        settings["minimumVersion"] = getattr(options.min_tls_ver, "name", str(options.min_tls_ver))
        settings["cipherPreference"] = getattr(options.cipher_pref, "name", str(options.cipher_pref))
        settings["verifyPeer"] = str(options.verify_peer)
    return settings


def sdk_options(io, ca):
    """The options s3transfer.crt.create_s3_crt_client(verify=CA) gives boto3's CRT client."""
    options = io.TlsContextOptions()
    options.override_default_trust_store_from_path(None, ca)
    return options


def awscrt_library(awscrt, job, settings, results):
    """The `awscrt` library client: the SDK's own TLS settings (create_s3_crt_client's)."""
    io = sys.modules["awscrt.io"]
    http = sys.modules["awscrt.http"]
    options = sdk_options(io, job["caFile"])
    try:
        __import__("s3transfer.crt")
        sdk = "s3transfer.crt.create_s3_crt_client(verify=CA)'s TlsContextOptions"
    except Exception:
        sdk = "TlsContextOptions() with the CA"
    settings.update(awscrt_settings(awscrt, io, options))
    # awscrt 0.16's S3Client takes no endpoint port (it connects to 443), so its HTTP client
    # connects through the very options the S3 client is given.
    settings["call"] = "HttpClientConnection.new(localhost, tls: %s).request(GET /)" % sdk
    run_awscrt_client("awscrt", io, http, io.ClientTlsContext(options), job, results)


def app_awscrt_context(kind, made, ca):
    """The ClientTlsContext the app client connects through: the app's, with the run's CA."""
    io = sys.modules["awscrt.io"]
    options = made if kind == "awscrt-options" else MADE_CONTEXTS.get(id(made), (None, None))[1]
    if options is None:
        raise TypeError("the ClientTlsContext was not made while the callable ran, so its options are unknown")
    options.override_default_trust_store_from_path(None, ca)
    return options, io.ClientTlsContext(options)


def run_awscrt_app(kind, made, ca, settings, job, results):
    options, context = app_awscrt_context(kind, made, ca)
    awscrt = sys.modules["awscrt"]
    settings.update(awscrt_settings(awscrt, sys.modules["awscrt.io"], options))
    # The app's version is not awscrt's: it is said as what it connects with.
    settings["awscrt"] = settings.pop("version")
    settings["call"] = "HttpClientConnection.new(localhost, tls: its %s with the CA).request(GET /)" % (
        "TlsContextOptions" if kind == "awscrt-options" else "ClientTlsContext's options")
    __import__("awscrt.http")
    run_awscrt_client("app", sys.modules["awscrt.io"], sys.modules["awscrt.http"], context, job, results)


def run_awscrt_client(name, io, http, context, job, results):
    for target in job["targets"]:
        entry = {"client": name, "server": target["id"]}
        awscrt_handshake(io, http, context, target, job["timeoutMs"] / 1000.0, entry)
        results.append(entry)
