// tls-floor's PHP client, run by the php under test (php -r), no extension beyond what it finds.
// Reads a job (JSON) on stdin, writes one JSON document on stdout: the format every script client
// shares (probe/clients/script_client.ts). It judges no error: a failed request is reported as
// 'tls' with the error's text, which the action classifies (tls_errors.ts).
//
// default: the curl extension where it is loaded (curl_exec with its defaults), else
// file_get_contents over https:// (the stream wrapper's defaults). The run's CA is given as a
// context option (CURLOPT_CAINFO; the ssl context's cafile): PHP reads its own CA settings
// (curl.cainfo, openssl.cafile) only from php.ini. strict: asked for TLS 1.0 and every cipher at
// security level 0 (CURLOPT_SSLVERSION TLSv1_0 and CURLOPT_SSL_CIPHER_LIST; the stream's
// crypto_method and ciphers).
// A notice or deprecation (the CLI shows them on stdout by default) must not break the report.
ini_set('display_errors', 'stderr');
$job = json_decode(stream_get_contents(STDIN, 1 << 20), true);
$useCurl = extension_loaded('curl');

function viaCurl($port, $ca, $timeoutMs, $strict, $ciphers) {
    $h = curl_init("https://localhost:$port/");
    $log = fopen('php://temp', 'w+');
    $options = [
        CURLOPT_CAINFO => $ca,
        CURLOPT_RESOLVE => ["localhost:$port:127.0.0.1"],
        CURLOPT_NOPROXY => '*',
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT_MS => $timeoutMs,
        CURLOPT_VERBOSE => true,
        CURLOPT_STDERR => $log,
    ];
    if ($strict) {
        $options[CURLOPT_SSLVERSION] = CURL_SSLVERSION_TLSv1_0;
        $options[CURLOPT_SSL_CIPHER_LIST] = $ciphers;
    }
    curl_setopt_array($h, $options);
    $body = curl_exec($h);
    $errno = curl_errno($h);
    $error = curl_error($h);
    $port_ = curl_getinfo($h, CURLINFO_LOCAL_PORT);
    unset($h); // curl_close() does nothing since PHP 8.0 and is deprecated in 8.5
    rewind($log);
    $verbose = stream_get_contents($log, 1 << 16);
    fclose($log);
    $r = ['ports' => $port_ ? [$port_] : []];
    // "SSL connection using TLSv1.0 / AES256-SHA": the handshake completed, whatever came after.
    if (preg_match('/SSL connection using (\S+) \/ (\S+)/', $verbose, $m)) {
        return $r + ['outcome' => 'connected', 'version' => $m[1], 'cipher' => $m[2]];
    }
    $outcome = $errno === 28 ? 'timeout' : 'tls';
    return $r + ['outcome' => $outcome, 'reason' => null, 'error' => substr("curl error $errno: $error", 0, 400)];
}

/** A free port on 127.0.0.1, for this end of a connection (the stream wrapper names none afterwards). */
function freePort() {
    $server = stream_socket_server('tcp://127.0.0.1:0');
    if ($server === false) return 0;
    $name = stream_socket_get_name($server, false);
    fclose($server);
    return (int) substr(strrchr($name, ':'), 1);
}

function viaStream($port, $ca, $timeoutMs, $strict, $ciphers) {
    // The host the certificates name, as SNI and for verification; the address the servers listen on.
    $ssl = ['cafile' => $ca, 'peer_name' => 'localhost', 'SNI_server_name' => 'localhost'];
    if ($strict) {
        $ssl['crypto_method'] = STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT
            | STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | (defined('STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT') ? STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT : 0);
        $ssl['ciphers'] = $ciphers;
    }
    // This end's port, chosen here: the server's record of the connection carries it.
    $local = freePort();
    $socket = $local ? ['bindto' => "127.0.0.1:$local"] : [];
    $context = stream_context_create(['ssl' => $ssl, 'socket' => $socket,
        'http' => ['timeout' => $timeoutMs / 1000, 'ignore_errors' => true]]);
    $error = null;
    set_error_handler(function ($no, $text) use (&$error) { $error = $error ?? $text; return true; });
    $body = file_get_contents("https://127.0.0.1:$port/", false, $context, 0, 1 << 16);
    restore_error_handler();
    $ports = $local ? [$local] : [];
    // The stream wrapper does not name the version: the server's record says.
    if ($body !== false) return ['outcome' => 'connected', 'ports' => $ports];
    return ['outcome' => 'tls', 'error' => substr(str_replace("\n", ' ', (string) $error), 0, 400), 'ports' => $ports];
}

$ciphers = $job['strictCiphers'];
$how = $useCurl ? 'the curl extension (curl_exec)' : 'file_get_contents over https://';
$clients = [
    'default' => ['client' => "$how, defaults", 'minimumVersion' => 'library default', 'ciphers' => 'library default'],
    'strict' => ['client' => "$how, asked for TLS 1.0", 'minimumVersion' => 'TLSv1', 'ciphers' => $ciphers],
];
$handshakes = [];
foreach (['default', 'strict'] as $mode) {
    foreach ($job['targets'] as $t) {
        $r = $useCurl
            ? viaCurl($t['port'], $job['caFile'], $job['timeoutMs'], $mode === 'strict', $ciphers)
            : viaStream($t['port'], $job['caFile'], $job['timeoutMs'], $mode === 'strict', $ciphers);
        $handshakes[] = ['server' => $t['id'], 'client' => $mode] + $r;
    }
}
/** The OpenSSL library loaded (OPENSSL_VERSION_TEXT is the one PHP was built with): phpinfo's line. */
function opensslLibrary() {
    ob_start();
    phpinfo(INFO_MODULES);
    $info = ob_get_clean();
    if (preg_match('/^OpenSSL Library Version => (.+)$/m', $info, $m)) return trim($m[1]);
    return defined('OPENSSL_VERSION_TEXT') ? OPENSSL_VERSION_TEXT : 'no openssl extension';
}

$locations = function_exists('openssl_get_cert_locations') ? openssl_get_cert_locations() : [];
$curl = $useCurl ? curl_version() : null;
$runtime = [
    'php' => PHP_VERSION,
    'openssl' => opensslLibrary(),
    'opensslBuiltWith' => defined('OPENSSL_VERSION_TEXT') ? OPENSSL_VERSION_TEXT : 'none',
    'curl' => $curl ? $curl['version'] . ' (' . $curl['ssl_version'] . ')' : 'not loaded',
    'client' => $how,
    'opensslConf' => getenv('OPENSSL_CONF') ?: (isset($locations['default_cert_file'])
        ? dirname($locations['default_cert_file']) . '/openssl.cnf' : 'unknown'),
    'OPENSSL_CONF' => getenv('OPENSSL_CONF') ?: 'not set',
    'phpIni' => php_ini_loaded_file() ?: 'none',
    'curl.cainfo' => ini_get('curl.cainfo') ?: 'not set',
    'openssl.cafile' => ini_get('openssl.cafile') ?: 'not set',
];
echo json_encode(['runtime' => $runtime, 'clients' => $clients, 'handshakes' => $handshakes], JSON_UNESCAPED_SLASHES);
