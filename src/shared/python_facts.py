# What a Python interpreter says of itself, with no judgement: one script for the probe (which
# sends it ahead of python_probe.py, in the same -c script) and the build's verification (which
# sends it followed by facts_main()). It must parse on every Python it may be handed (even
# 2.7): no f-strings, no annotations, no keyword-only arguments. Nothing runs on import.
import json
import os
import platform
import sys


def runtime_info():
    """What the interpreter says of itself: the report's `runtime` (the probe's and the verification's)."""
    import ssl
    info = {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "executable": sys.executable,
        "opensslVersion": ssl.OPENSSL_VERSION,
        "has": {},
        "sslModule": None,
        "libssl": [],
    }
    for name in ("HAS_SSLv3", "HAS_TLSv1", "HAS_TLSv1_1", "HAS_TLSv1_2", "HAS_TLSv1_3"):
        value = getattr(ssl, name, None)
        info["has"][name] = None if value is None else bool(value)
    try:
        import _ssl
        info["sslModule"] = getattr(_ssl, "__file__", "built-in")
    except ImportError:
        pass
    info["libssl"] = loaded_tls_libraries()
    info["freeThreaded"], info["gilEnabled"] = threading_facts()
    info["fips"] = fips_info()
    return info


BUILTIN_HASH_MODULES = ("_md5", "_sha1", "_sha2", "_sha256", "_sha512", "_sha3", "_blake2", "_hmac")


def fips_info():
    """FIPS mode as this process sees it: OpenSSL's default properties, what md5 does, the built-in hashes."""
    try:
        import _hashlib
    except ImportError:
        return None
    mode = getattr(_hashlib, "get_fips_mode", None)
    info = {
        "defaultPropertiesFips": None if mode is None else bool(mode()),
        "opensslConf": os.environ.get("OPENSSL_CONF"),
        "builtinHashes": [],
    }
    import hashlib
    for key, call in (
        ("md5", lambda: hashlib.md5(b"")),
        ("md5NotForSecurity", lambda: hashlib.md5(b"", usedforsecurity=False)),
        ("sha256", lambda: hashlib.sha256(b"")),
    ):
        try:
            call()
            info[key] = "works"
        except Exception as exc:
            info[key] = "raises " + type(exc).__name__ + ": " + str(exc)[:120]
    for name in BUILTIN_HASH_MODULES:
        try:
            __import__(name)
        except ImportError:
            continue
        info["builtinHashes"].append(name)
    return info


def threading_facts():
    """Whether this is a free-threaded build (Py_GIL_DISABLED, 3.13+), and whether the GIL is on now."""
    import sysconfig
    free_threaded = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return free_threaded, (is_enabled() if is_enabled is not None else True)


def facts(optional_modules, ciphers):
    """What the build's verification needs, beyond runtime_info: no judgement, facts only."""
    import ssl
    info = runtime_info()
    files = []
    for name in ("_ssl", "_hashlib"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        if getattr(module, "__file__", None):
            files.append(module.__file__)
    info["extensionFiles"] = files
    names = ("cafile", "capath", "openssl_cafile_env", "openssl_cafile", "openssl_capath_env", "openssl_capath")
    info["verifyPaths"] = dict(zip(names, ssl.get_default_verify_paths()))
    info["defaultCaCount"] = ssl.create_default_context().cert_store_stats()["x509_ca"]
    missing = []
    for name in optional_modules:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    info["missingModules"] = missing
    info["helloes"] = library_helloes(ciphers)
    return info


# Python's names of the versions (ssl.TLSVersion members) and the wire names the action uses.
HELLO_VERSIONS = (("SSLv3", "SSLv3"), ("TLSv1", "TLSv1"), ("TLSv1_1", "TLSv1.1"),
                  ("TLSv1_2", "TLSv1.2"), ("TLSv1_3", "TLSv1.3"))


def library_hello(minimum, maximum, ciphers):
    """The ClientHello the library itself writes for this version range (hex), into a memory
    BIO, with no peer: {"hello": hex}, or {"error": ...} where it writes none (OpenSSL: "no
    protocols available" when it has none of the range) or refuses the range when set.
    Every cipher (the probe's permissive string, given), so that only the protocol versions
    the library has decide. No constant (HAS_*, PROTOCOL_*) is consulted: what is offered is what it wrote."""
    import binascii
    import ssl
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ssl.TLSVersion.TLSv1 & co are deprecated names
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            try:
                ctx.set_ciphers(ciphers)
            except ssl.SSLError:
                ctx.set_ciphers("ALL")
            # MINIMUM_SUPPORTED is 0 to OpenSSL (SSL_CTX_set_min_proto_version): its own lowest.
            ctx.minimum_version = getattr(ssl.TLSVersion, minimum)
            ctx.maximum_version = getattr(ssl.TLSVersion, maximum)
            outgoing = ssl.MemoryBIO()
            tls = ctx.wrap_bio(ssl.MemoryBIO(), outgoing)
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass  # the hello is written; the answer it waits for never comes
        return {"hello": binascii.hexlify(outgoing.read()).decode("ascii")}
    except Exception as exc:
        return {"error": "%s: %s" % (type(exc).__name__, exc)}


def library_helloes(ciphers):
    """The library's hello for its whole range ("all"), and for each version alone."""
    found = {"all": library_hello("MINIMUM_SUPPORTED", "MAXIMUM_SUPPORTED", ciphers)}
    for name, wire in HELLO_VERSIONS:
        found[wire] = library_hello(name, name, ciphers)
    return found


def loaded_tls_libraries():
    """The libssl/libcrypto files mapped into this process (Linux only); None elsewhere."""
    try:
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except (IOError, OSError):
        return None
    found = []
    for line in lines:
        parts = line.split(None, 5)
        if len(parts) < 6:
            continue
        path = parts[5]
        base = os.path.basename(path)
        if (base.startswith("libssl") or base.startswith("libcrypto")) and path not in found:
            found.append(path)
    return found


def facts_main():
    """Reads {"optionalModules": [...], "ciphers": "..."} on stdin, writes {"runtime": facts} or {"fatal", "detail"}."""
    job = json.loads(sys.stdin.read())
    try:
        import ssl  # noqa: F401
    except ImportError as exc:
        sys.stdout.write(json.dumps({"fatal": "no-ssl", "detail": str(exc)}))
        return
    sys.stdout.write(json.dumps({"runtime": facts(job["optionalModules"], job["ciphers"])}))
