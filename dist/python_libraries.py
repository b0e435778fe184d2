# tls-floor's library clients: the HTTP libraries an application uses (urllib3, requests,
# httpx, aiohttp, botocore), each through its own default path, and the application's own
# TLS configuration (python-context: module:callable) as the client `app`. Sent in the same -c
# script as python_probe.py (before it), so it must parse on every Python that script parses
# on: no f-strings, no annotations, no async syntax (the aiohttp coroutine is compiled only
# where it runs). Each library is imported in a thread started with the interpreter, so its
# import overlaps the action's start-up and the built-in clients' handshakes.
import json
import os
import socket
import sys
import threading

# The order the report lists them in; urllib3 is the guide's own check.py.
LIBRARY_NAMES = ("urllib3", "requests", "httpx", "aiohttp", "botocore", "awscrt")
LIBRARY_MODULES = {
    "urllib3": ("urllib3",),
    "requests": ("requests",),
    "httpx": ("httpx",),
    "aiohttp": ("aiohttp",),
    "botocore": ("botocore", "botocore.httpsession", "botocore.awsrequest"),
    "awscrt": AWSCRT_MODULES,  # python_awscrt.py
}


CONFIG_VARIABLE = "TLS_FLOOR_PYTHON_PROBE"


def probe_config():
    """What the action asks for (JSON in the environment, removed before any library or the
    user's code sees it): the libraries to run, the folders to import them from (PYTHONPATH,
    which -E leaves out), the application's context callable and the workspace."""
    try:
        return json.loads(os.environ.pop(CONFIG_VARIABLE, "") or "{}")
    except ValueError:
        return {}


def describe_error(exc):
    return "%s: %s" % (type(exc).__name__, exc)


class Imports(object):
    """The library modules (and the application's callable), imported one after the other in a
    background thread. `library(name)` waits for that one: (module or None, error or None);
    `app()` waits for them all: the app's (object, error)."""

    def __init__(self, config):
        self.config = config
        self.found = {}
        self.ready = dict((name, threading.Event()) for name in config.get("libraries") or [])
        self.made = None
        self.thread = threading.Thread(target=self.run)
        self.thread.daemon = True

    def start(self):
        for folder in reversed(self.config.get("importPath") or []):
            if folder not in sys.path:
                sys.path.insert(0, folder)
        self.thread.start()
        return self

    def run(self):
        for name in self.config.get("libraries") or []:
            try:
                for module in LIBRARY_MODULES[name]:
                    __import__(module)
                self.found[name] = (sys.modules[LIBRARY_MODULES[name][0]], None)
            except Exception as exc:  # ImportError, or a broken install
                self.found[name] = (None, "%s is not importable: %s" % (name, describe_error(exc)))
            self.ready[name].set()
        if self.config.get("context"):
            self.made = application_object(self.config["context"], self.config.get("workspace"))

    def library(self, name):
        self.ready[name].wait()
        return self.found[name]

    def app(self):
        self.thread.join()
        return self.made


def application_object(spec, workspace):
    """What the callable `module:callable` returns: (object, None) or (None, the problem)."""
    module_name, _, attr = spec.partition(":")
    if workspace and workspace not in sys.path:
        sys.path.append(workspace)
    try:
        module = __import__(module_name, fromlist=["_"])
    except BaseException as exc:  # SystemExit too: the user's module must not end the probe
        return None, "cannot import %s (%s)" % (module_name, describe_error(exc))
    target = module
    try:
        for part in attr.split("."):
            target = getattr(target, part)
    except AttributeError:
        return None, "%s has no %s" % (module_name, attr)
    if not callable(target):
        return None, "%s is not callable" % spec
    remember_awscrt_options()
    try:
        made = target()
    except BaseException as exc:
        return None, "%s() raised %s" % (spec, describe_error(exc))
    kind = application_kind(made)
    if kind is None:
        return None, "%s() returned a %s.%s, not an ssl.SSLContext, requests.Session, urllib3 PoolManager, httpx.Client, botocore client or Config, or awscrt TlsContextOptions or ClientTlsContext" % (
            spec, type(made).__module__, type(made).__name__)
    return (kind, made), None


def application_kind(made):
    """Which of the kinds the app client can connect through `made` is; None: none of them."""
    import ssl
    if isinstance(made, ssl.SSLContext):
        return "ssl"
    names = set("%s.%s" % (c.__module__, c.__name__) for c in type(made).__mro__)
    if "requests.sessions.Session" in names:
        return "requests"
    if "urllib3.poolmanager.PoolManager" in names:
        return "urllib3"
    if "httpx.Client" in names or "httpx._client.Client" in names:
        return "httpx"
    if "botocore.config.Config" in names:
        return "botocore-config"
    if "botocore.client.BaseClient" in names:
        return "botocore-client"
    return awscrt_kind(names)


def option_names(options):
    import ssl
    names = [n for n in dir(ssl) if n.startswith("OP_") and n != "OP_ALL"
             and getattr(ssl, n) and (options & getattr(ssl, n)) == getattr(ssl, n)]
    return " ".join(sorted(set(names)))


def describe_context(ctx):
    """What a context allows, as the report's settings (strings)."""
    about = {}
    for key, attr in (("minimumVersion", "minimum_version"), ("maximumVersion", "maximum_version")):
        value = getattr(ctx, attr, None)
        if value is not None:
            about[key] = getattr(value, "name", str(value))
    about["options"] = option_names(ctx.options)
    try:
        about["ciphers"] = "%d enabled" % len(ctx.get_ciphers())
    except Exception:
        pass
    about["verifyMode"] = getattr(ctx.verify_mode, "name", str(ctx.verify_mode))
    about["checkHostname"] = str(ctx.check_hostname)
    return about


class TLSRecorder(object):
    """While active in a thread: the local port of every socket the library connects there
    (the server's record of the connection carries it), the context of every TLS connection it
    makes, and the version and cipher of the last one completed, from the socket wrap_socket
    returns or the SSLObject asyncio drives (wrap_bio). Libraries that hide their sockets
    (urllib3 after Connection: close, aiohttp's transports) are seen this way. The hooks are
    installed once (install_recording); a thread without a recorder passes straight through,
    so the library clients can run side by side, each in its own thread."""

    def __init__(self):
        self.ports = []
        self.contexts = []
        self.objects = []
        self.seen = None

    def note_port(self, sock):
        port = local_port(sock)
        if port and port not in self.ports:
            self.ports.append(port)

    def note_version(self, tls):
        try:
            version = tls.version()
            if version:
                cipher = tls.cipher()
                self.seen = (version, cipher[0] if cipher else None)
        except Exception:
            pass

    def __enter__(self):
        RECORDERS[threading.current_thread().ident] = self
        return self

    def __exit__(self, *exc):
        RECORDERS.pop(threading.current_thread().ident, None)
        for obj in self.objects:
            self.note_version(obj)
        return False


RECORDERS = {}
HOOKS = []


def current_recorder():
    return RECORDERS.get(threading.current_thread().ident)


def install_recording():
    """Hooks socket.connect/connect_ex and SSLContext.wrap_socket/wrap_bio for the recorders."""
    if HOOKS:
        return
    import ssl
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    wrap_socket, wrap_bio = ssl.SSLContext.wrap_socket, ssl.SSLContext.wrap_bio

    def recorded_connect(sock, address):
        try:
            return connect(sock, address)
        finally:
            recorder = current_recorder()
            if recorder is not None:
                recorder.note_port(sock)

    def recorded_connect_ex(sock, address):
        try:
            return connect_ex(sock, address)
        finally:
            recorder = current_recorder()
            if recorder is not None:
                recorder.note_port(sock)

    def recorded_wrap_socket(context, *args, **kwargs):
        recorder = current_recorder()
        if recorder is not None:
            recorder.contexts.append(context)
        tls = wrap_socket(context, *args, **kwargs)
        if recorder is not None:
            recorder.note_version(tls)
        return tls

    def recorded_wrap_bio(context, *args, **kwargs):
        recorder = current_recorder()
        if recorder is not None:
            recorder.contexts.append(context)
        obj = wrap_bio(context, *args, **kwargs)
        if recorder is not None:
            recorder.objects.append(obj)
        return obj

    socket.socket.connect = recorded_connect
    socket.socket.connect_ex = recorded_connect_ex
    ssl.SSLContext.wrap_socket = recorded_wrap_socket
    ssl.SSLContext.wrap_bio = recorded_wrap_bio
    HOOKS.append(True)


def library_url(port):
    # The host name, not 127.0.0.1: the libraries send SNI and check the name they connect to,
    # and none of botocore, requests, httpx, aiohttp takes a server_hostname.
    return "https://localhost:%d/" % port


def requests_get(requests, ca, port, timeout):
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between the probe and loopback
    try:
        session.get(library_url(port), verify=ca, timeout=timeout, allow_redirects=False).close()
    finally:
        session.close()


def httpx_get(httpx, ca, port, timeout):
    with httpx.Client(verify=ca, timeout=timeout, trust_env=False) as client:
        client.get(library_url(port))


def aiohttp_context(aiohttp, ca):
    """aiohttp's own verified default context (what ClientSession uses when ssl is not given),
    with the run's CA added to its trust."""
    # A static method of TCPConnector up to 3.9, a function of aiohttp.connector since.
    make = (getattr(aiohttp.TCPConnector, "_make_ssl_context", None)
            or getattr(getattr(aiohttp, "connector", None), "_make_ssl_context", None))
    import ssl
    ctx = make(True) if make is not None else ssl.create_default_context()
    ctx.load_verify_locations(ca)
    return ctx


AIOHTTP_GET = """
async def aiohttp_fetch(aiohttp, ctx, url, timeout):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.get(url, ssl=ctx, allow_redirects=False) as response:
            await response.read()
"""


def aiohttp_get(aiohttp, ca, port, timeout, ctx=None):
    import asyncio
    scope = {}
    exec(AIOHTTP_GET, scope)
    fetch = scope["aiohttp_fetch"](aiohttp, ctx or aiohttp_context(aiohttp, ca), library_url(port), timeout)
    if hasattr(asyncio, "run"):
        asyncio.run(fetch)
    else:  # Python 3.6
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(fetch)
        finally:
            loop.close()


# What the SDK gives its session (botocore/endpoint.py's EndpointCreator with a default Config):
# verify= a CA bundle, max_pool_connections 10, TCP_NODELAY; no proxy (none is configured).
def botocore_session(botocore, ca, timeout, config=None):
    from botocore.httpsession import URLLib3Session
    kwargs = {"verify": ca, "timeout": timeout,
              "max_pool_connections": getattr(config, "max_pool_connections", None) or 10,
              "socket_options": [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]}
    if config is not None and getattr(config, "client_cert", None):
        kwargs["client_cert"] = config.client_cert
    return URLLib3Session(**kwargs)


def botocore_send(session, port):
    from botocore.awsrequest import AWSRequest
    try:
        session.send(AWSRequest(method="GET", url=library_url(port), headers={}).prepare())
    finally:
        session.close()


def botocore_get(botocore, ca, port, timeout):
    botocore_send(botocore_session(botocore, ca, timeout), port)


LIBRARY_CALLS = {
    "requests": ("Session(trust_env=False).get(url, verify=CA, timeout=T)", requests_get),
    "httpx": ("Client(verify=CA, timeout=T, trust_env=False).get(url)", httpx_get),
    "aiohttp": ("ClientSession().get(url, ssl=its own default context + CA)", aiohttp_get),
    "botocore": ("httpsession.URLLib3Session(verify=CA, max_pool_connections=10, TCP_NODELAY).send(AWSRequest GET)",
                 botocore_get),
}


def classify_library(exc, recorder):
    """(outcome, reason) for what a library raised: the ssl error under its wrappers, a
    timeout, else a connection the server completed (the library failed after it), else a
    network failure or an error."""
    cause = tls_cause(exc)
    if cause is not None:
        return classify(cause)
    names = " ".join(c.__name__ for c in type(exc).__mro__)
    if "Timeout" in names:
        return "timeout", None
    if recorder.seen is not None:
        return "connected", None
    if isinstance(exc, OSError) or "Connect" in names or "Protocol" in names or "Disconnected" in names:
        return "network", None
    return "error", None


def library_handshake(request, target, timeout, entry, settings):
    """One request through a library: what the recorder saw of its TLS connection."""
    recorder = TLSRecorder()
    try:
        with recorder:
            request(target["port"], timeout)
        version, cipher = recorder.seen or (None, None)
        entry.update({"outcome": "connected", "version": version, "cipher": cipher})
    except Exception as exc:
        outcome, reason = classify_library(exc, recorder)
        version, cipher = recorder.seen or (None, None)
        entry.update({"outcome": outcome, "reason": reason, "error": describe_error(exc)})
        if outcome == "connected":
            entry.update({"version": version, "cipher": cipher})
    finally:
        entry["ports"] = recorder.ports
        if recorder.contexts and "minimumVersion" not in settings:
            settings.update(describe_context(recorder.contexts[0]))


def run_library_client(name, request, settings, job, results):
    """Runs `request(port, timeout)` against every target as client `name`."""
    for target in job["targets"]:
        entry = {"client": name, "server": target["id"]}
        library_handshake(request, target, job["timeoutMs"] / 1000.0, entry, settings)
        results.append(entry)


def library_request(name, module, ca):
    """The library's call for the report, and `request(port, timeout)` through it."""
    if name == "urllib3":
        return urllib3_call(module), lambda port, timeout: urllib3_request(module, ca, port, timeout)
    call, get = LIBRARY_CALLS[name]
    return call, lambda port, timeout: get(module, ca, port, timeout)


def run_library(name, imports, job, clients, results):
    module, missing = imports.library(name)
    if module is None:
        # Not run, so no handshakes: the report says why (a skipped client decides nothing).
        clients[name] = {"error": missing}
        return
    settings = clients[name]
    if name == "awscrt":
        awscrt_library(module, job, settings, results)
        return
    call, request = library_request(name, module, job["caFile"])
    settings.update({"version": str(getattr(module, "__version__", "unknown")),
                     "module": str(getattr(module, "__file__", "")), "call": call})
    run_library_client(name, request, settings, job, results)


class LibraryRuns(object):
    """Each library client in a thread of its own, started as soon as the job is known: it
    waits for its library's import, then connects to every target, beside the built-in clients
    and the other libraries (the servers match each connection by its port)."""

    def __init__(self, imports, job, names):
        install_recording()
        self.names = list(names)
        self.clients = dict((name, {}) for name in self.names)
        self.results = dict((name, []) for name in self.names)
        self.threads = []
        for name in self.names:
            thread = threading.Thread(target=self.run, args=(name, imports, job))
            thread.daemon = True
            thread.start()
            self.threads.append(thread)

    def run(self, name, imports, job):
        try:
            run_library(name, imports, job, self.clients, self.results[name])
        except Exception as exc:  # a library that breaks the probe's own code: reported, not fatal
            self.clients[name] = {"error": "%s could not be probed: %s" % (name, describe_error(exc))}
            self.results[name] = []

    def join(self, clients, results):
        """Adds each library's client and handshakes, in the report's order."""
        for thread in self.threads:
            thread.join()
        for name in self.names:
            clients[name] = self.clients[name]
            results.extend(self.results[name])


def app_request(kind, made, ca):
    """How the app client connects through the object the user's callable returned, with the
    run's CA added to its trust and nothing else changed."""
    import ssl
    if kind == "ssl":
        made.load_verify_locations(ca)

        def request(port, timeout):
            sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
            try:
                tls = made.wrap_socket(sock, server_hostname="localhost")
                read_answer(tls)
                tls.close()
            finally:
                sock.close()
        return "its SSLContext.wrap_socket(server_hostname='localhost')", request
    if kind == "requests":
        made.verify = ca
        made.trust_env = False
        return "its Session.get(url, timeout=T) with verify=CA", (
            lambda port, timeout: made.get(library_url(port), timeout=timeout, allow_redirects=False).close())
    if kind == "urllib3":
        made.connection_pool_kw.update({"cert_reqs": "CERT_REQUIRED", "ca_certs": ca})
        made.clear()
        return "its PoolManager.request('GET', url, retries=False) with ca_certs=CA", (
            lambda port, timeout: made.request("GET", library_url(port), retries=False, timeout=timeout))
    if kind == "httpx":
        pool = getattr(getattr(made, "_transport", None), "_pool", None)
        ctx = getattr(pool, "_ssl_context", None)
        if not isinstance(ctx, ssl.SSLContext):
            raise TypeError("cannot find the httpx.Client's SSL context (its transport is not httpx's own)")
        ctx.load_verify_locations(ca)
        return "its Client.get(url) with CA added to its SSL context", (
            lambda port, timeout: made.get(library_url(port), timeout=timeout))
    if kind == "botocore-config":
        import botocore
        return "URLLib3Session as the SDK makes it for this Config, verify=CA", (
            lambda port, timeout: botocore_send(botocore_session(botocore, ca, timeout, made), port))
    session = made._endpoint.http_session
    session._verify = ca
    return "the client's own http_session.send(AWSRequest GET) with verify=CA", (
        lambda port, timeout: session.send(__import__("botocore.awsrequest", fromlist=["_"]).AWSRequest(
            method="GET", url=library_url(port), headers={}).prepare()))


def run_app(job, clients, results, app, spec):
    """The application's own configuration as client `app`; its problem is the run's."""
    made, problem = app
    if problem is None and made[0] in AWSCRT_KINDS:
        settings = {"from": spec, "kind": made[0]}
        try:
            run_awscrt_app(made[0], made[1], job["caFile"], settings, job, results)
        except Exception as exc:
            return "%s: cannot connect through it with the run's CA (%s)" % (spec, describe_error(exc))
        clients["app"] = settings
        return None
    if problem is None:
        try:
            call, request = app_request(made[0], made[1], job["caFile"])
        except Exception as exc:
            problem = "%s: cannot add the run's CA to it (%s)" % (spec, describe_error(exc))
    if problem is not None:
        return problem
    settings = {"from": spec, "kind": made[0], "call": call}
    if made[0] == "ssl":
        settings.update(describe_context(made[1]))
    clients["app"] = settings
    install_recording()
    run_library_client("app", request, settings, job, results)
    return None
