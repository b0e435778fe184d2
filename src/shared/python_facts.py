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
    return info


def threading_facts():
    """Whether this is a free-threaded build (Py_GIL_DISABLED, 3.13+), and whether the GIL is on now."""
    import sysconfig
    free_threaded = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return free_threaded, (is_enabled() if is_enabled is not None else True)


def facts(optional_modules):
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
    return info


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
    """Reads {"optionalModules": [...]} on stdin, writes {"runtime": facts} or {"fatal", "detail"}."""
    job = json.loads(sys.stdin.read())
    try:
        import ssl  # noqa: F401
    except ImportError as exc:
        sys.stdout.write(json.dumps({"fatal": "no-ssl", "detail": str(exc)}))
        return
    sys.stdout.write(json.dumps({"runtime": facts(job["optionalModules"])}))
