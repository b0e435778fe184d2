# tls-floor's Python client. It runs inside the interpreter under test, so it must parse
# on every Python it may be handed (even 2.7, just far enough to say it is too old):
# no f-strings, no annotations, no keyword-only arguments.
# Reads a job (JSON) on stdin, writes one JSON document on stdout: the format every script
# client shares (probe/clients/script_client.ts). It runs after src/shared/python_facts.py
# and python_libraries.py (sent before it in the same -c script): runtime_info() says what the
# interpreter is; the library clients and the app client live there.
import json
import sys


def emit(doc):
    sys.stdout.write(json.dumps(doc))
    sys.stdout.flush()


if sys.version_info < (3, 6):
    emit({"fatal": "too-old", "detail": "Python %d.%d.%d" % tuple(sys.version_info[:3])})
    sys.exit(0)

import socket

try:
    import ssl
except ImportError as exc:
    emit({"fatal": "no-ssl", "detail": str(exc)})
    sys.exit(0)


def default_context(ca, ciphers):
    # What urllib3, requests and botocore start from.
    return ssl.create_default_context(cafile=ca), {"ciphers": "library default"}


def strict_context(ca, ciphers):
    # Deliberately permissive: the lowest version the library allows, every cipher at
    # security level 0 (the job's strictCiphers), certificate verification still on. It
    # shows what the runtime CAN do.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    settings = {}
    try:
        ctx.set_ciphers(ciphers)
        settings["ciphers"] = ciphers
    except ssl.SSLError:
        # OpenSSL before 1.1.0 has no security levels.
        ctx.set_ciphers("ALL")
        settings["ciphers"] = "ALL"
    if hasattr(ssl, "TLSVersion"):
        # MINIMUM_SUPPORTED reaches OpenSSL as 0 (SSL_CTX_set_min_proto_version): the library's
        # own lowest, whatever ssl.HAS_* say (CPython 3.15 on OpenSSL 4 says no TLS 1.2 at all).
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        settings["minimumVersion"] = "MINIMUM_SUPPORTED"
    else:
        # Python 3.6: no TLSVersion; clear the per-version "no" options instead.
        for name in ("OP_NO_TLSv1", "OP_NO_TLSv1_1"):
            ctx.options &= ~getattr(ssl, name, 0)
        settings["minimumVersion"] = "OP_NO_TLSv1/OP_NO_TLSv1_1 cleared"
    return ctx, settings


def ssl_reason(exc):
    """The reason as the linked OpenSSL words it ("[SSL: NAME] text (_ssl.c:N)" -> TEXT).

    Python's bracketed NAME comes from a table compiled into _ssl, which is stale when the
    OpenSSL is newer than that Python: 3.6 on OpenSSL 3 calls "legacy sigalg disallowed or
    unsupported" BAD_MAC_LENGTH. The text after it comes from OpenSSL itself.
    """
    text = str(exc)
    if text.startswith("["):
        text = text.split("] ", 1)[-1]
    text = text.split(" (_ssl.c", 1)[0].strip()
    return "_".join(text.upper().split()) or getattr(exc, "reason", None)


def classify(exc):
    """Map an exception to (outcome, reason); "tls" leaves the judgement to the action."""
    verify_error = getattr(ssl, "SSLCertVerificationError", None)
    if verify_error is not None and isinstance(exc, verify_error):
        return "certificate", getattr(exc, "reason", None)
    if isinstance(exc, socket.timeout):
        return "timeout", None
    if isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)):
        # The peer went away without a TLS alert: not a protocol decision.
        return "network", getattr(exc, "reason", None)
    if isinstance(exc, ssl.SSLError):
        # Refused, certificate or no evidence: judged by the action from the reason, with the
        # one list every client shares (tls_errors.ts).
        return "tls", ssl_reason(exc)
    if isinstance(exc, (OSError, EOFError)):
        return "network", None
    return "error", None


REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def local_port(sock):
    """This end of the connection: the port the server's record of it carries."""
    try:
        return sock.getsockname()[1]
    except (OSError, IndexError, TypeError):
        return None


def read_answer(tls):
    """Asks for the server's answer and reads it to the end: the server has then finished
    its side of the handshake too. What fails here does not undo the handshake."""
    try:
        tls.sendall(REQUEST)
        while tls.recv(4096):
            pass
    except Exception:
        pass


def handshake(ctx, port, timeout, entry):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        entry["ports"] = [p for p in [local_port(sock)] if p]
        tls = ctx.wrap_socket(sock, server_hostname="localhost")
        try:
            cipher = tls.cipher()
            result = {"outcome": "connected", "version": tls.version(), "cipher": cipher[0] if cipher else None}
            read_answer(tls)
            return result
        finally:
            tls.close()
    finally:
        sock.close()


def sni_for(urllib3):
    try:
        import inspect
        params = inspect.signature(urllib3.connection.HTTPSConnection.__init__).parameters
        return {"server_hostname": "localhost"} if "server_hostname" in params else {}
    except Exception:
        return {}


def urllib3_call(urllib3):
    return ("PoolManager(cert_reqs='CERT_REQUIRED', ca_certs=CA%s).request('GET', url, retries=False)"
            % (", server_hostname='localhost'" if sni_for(urllib3) else ""))


def urllib3_request(urllib3, ca, port, timeout):
    # The library's own default path, the guide's check.py. server_hostname: SNI and the name
    # checked are localhost, as for the other clients (an IP address in the URL sends no SNI at
    # all); where urllib3 cannot take it, the URL's IP.
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=ca, **sni_for(urllib3))
    try:
        pool.request("GET", "https://127.0.0.1:%d/" % port, retries=False, timeout=timeout)
    finally:
        pool.clear()


def tls_cause(exc):
    """The ssl error or socket timeout under a library's wrappers, if there is one: the
    innermost of ssl's own, where a library's exception is an ssl.SSLError itself (aiohttp's
    ClientConnectorSSLError) and carries ssl's underneath."""
    seen = set()
    found = None
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (ssl.SSLError, socket.timeout)):
            if type(exc).__module__ in ("ssl", "_ssl", "socket", "builtins"):
                return exc
            found = found or exc
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)), None)
        exc = inner or exc.__cause__ or exc.__context__
    return found


def run_builtin(job, clients, results):
    for name, factory in (("default", default_context), ("strict", strict_context)):
        try:
            ctx, settings = factory(job["caFile"], job["strictCiphers"])
        except Exception as exc:  # a context that cannot be built is reported per handshake
            clients[name] = {"error": "%s: %s" % (type(exc).__name__, exc)}
            for target in job["targets"]:
                results.append({"client": name, "server": target["id"], "outcome": "error",
                                "error": clients[name]["error"]})
            continue
        clients[name] = settings
        for target in job["targets"]:
            entry = {"client": name, "server": target["id"]}
            try:
                entry.update(handshake(ctx, target["port"], job["timeoutMs"] / 1000.0, entry))
            except Exception as exc:
                outcome, reason = classify(exc)
                entry.update({"outcome": outcome, "reason": reason,
                              "error": "%s: %s" % (type(exc).__name__, exc)})
            results.append(entry)


def main():
    # The libraries (urllib3 ~90 ms, botocore ~400 ms) or the application's callable are
    # imported in a thread started with the interpreter, while the action starts its servers;
    # each library client runs in a thread of its own beside the built-in clients. The
    # application's configuration (python-context) runs alone, in a process of its own
    # (python.ts): whatever its module does at import touches no other client.
    config = probe_config()
    imports = Imports(config).start()
    job = json.loads(sys.stdin.read())
    clients = {}
    results = []
    if config.get("context"):
        problem = run_app(job, clients, results, imports.app(), config["context"])
        if problem is not None:
            emit({"fatal": "python-context", "detail": problem})
            return
    else:
        libraries = LibraryRuns(imports, job, config.get("libraries") or [])
        run_builtin(job, clients, results)
        libraries.join(clients, results)
    emit({"runtime": runtime_info(), "clients": clients, "handshakes": results})


if __name__ == "__main__":
    main()
