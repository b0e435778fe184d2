# The differential test's Python clients, written apart from the action's (src/probe/clients):
# one client, in its default way, connects once to each port given and prints one JSON line per
# port: {"port": N, "ok": true|false, "error": "..."}. "ok" is what the client itself says (it
# returned, or raised); the test decides completion from s_server's own record, this is only
# its corroboration. Runs on CPython 3.6 and later.
#   python truth_client.py CLIENT CA PORT...
# CLIENT: default (ssl.create_default_context, what urllib3, requests and botocore start from),
# strict (the lowest version the library allows, every cipher at security level 0,
# verification on), urllib3, requests, httpx, aiohttp, botocore (the SDK's own S3 client).
import json
import socket
import ssl
import sys

TIMEOUT = 10


def url(port):
    return "https://localhost:%d/" % port


def handshake(ctx, port):
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
            tls.recv(1)


def default(ca, port):
    handshake(ssl.create_default_context(cafile=ca), port)


def strict(ca, port):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    if hasattr(ssl, "TLSVersion"):
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    else:
        ctx.options &= ~(ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1)
    handshake(ctx, port)


def with_urllib3(ca, port):
    import urllib3
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=ca)
    pool.request("GET", url(port), retries=False, timeout=TIMEOUT)


def with_requests(ca, port):
    import requests
    requests.get(url(port), verify=ca, timeout=TIMEOUT)


def with_httpx(ca, port):
    import httpx
    httpx.get(url(port), verify=ca, timeout=TIMEOUT)


AIOHTTP = """
async def fetch(aiohttp, ctx, url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, ssl=ctx) as response:
            await response.read()
"""


def with_aiohttp(ca, port):
    import asyncio
    import aiohttp
    scope = {}
    exec(AIOHTTP, scope)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(scope["fetch"](aiohttp, ssl.create_default_context(cafile=ca), url(port)))
    finally:
        loop.close()


SESSION = []


def with_botocore(ca, port):
    # The SDK's own client (what boto3.client("s3") is), its CA from verify=, one attempt; one
    # session for every port (loading its service models is the slow part).
    import botocore.session
    from botocore.config import Config
    if not SESSION:
        SESSION.append(botocore.session.get_session())
    client = SESSION[0].create_client(
        "s3", region_name="us-east-1", endpoint_url=url(port)[:-1], verify=ca,
        aws_access_key_id="differential", aws_secret_access_key="differential",
        config=Config(retries={"total_max_attempts": 1}))
    try:
        client.list_buckets()
    except Exception as exc:
        # s_server -www answers HTML, not S3's XML: an error after the exchange is not a failed handshake.
        if type(exc).__name__ not in ("ClientError", "ParseError", "ResponseParserError"):
            raise


CLIENTS = {
    "default": default, "strict": strict, "urllib3": with_urllib3, "requests": with_requests,
    "httpx": with_httpx, "aiohttp": with_aiohttp, "botocore": with_botocore,
}


def main():
    client, ca, ports = CLIENTS[sys.argv[1]], sys.argv[2], [int(p) for p in sys.argv[3:]]
    for port in ports:
        try:
            client(ca, port)
            result = {"port": port, "ok": True}
        except Exception as exc:
            result = {"port": port, "ok": False, "error": ("%s: %s" % (type(exc).__name__, exc))[:300]}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


main()
