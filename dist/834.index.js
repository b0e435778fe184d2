export const id = 834;
export const ids = [834];
export const modules = {

/***/ 5834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  actionsCache: () => (/* reexport */ actionsCache),
  createArchive: () => (/* reexport */ createArchive),
  missingModulesWarning: () => (/* reexport */ missingModulesWarning),
  obtainRuntime: () => (/* reexport */ obtainRuntime),
  planFromInputs: () => (/* reexport */ planFromInputs),
  saveRuntime: () => (/* reexport */ saveRuntime),
  shouldSave: () => (/* reexport */ shouldSave)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/process/run.ts
var process_run = __webpack_require__(7212);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./src/runtime/download.ts








/**
 * Downloads `url` to `dest`, retrying network failures and 5xx/429 answers with backoff.
 * A file: URL or an absolute path is copied (an artifact already downloaded by the workflow).
 */
async function download(url, dest, options = {}) {
    await (0,promises_.mkdir)(external_node_path_default().dirname(dest), { recursive: true });
    if (url.startsWith('file:') || external_node_path_default().isAbsolute(url)) {
        await (0,promises_.copyFile)(url.startsWith('file:') ? (0,external_node_url_.fileURLToPath)(url) : url, dest);
        return;
    }
    const attempts = options.attempts ?? 4;
    let wait = options.backoffMs ?? 2000;
    for (let attempt = 1;; attempt++) {
        try {
            await fetchTo(url, dest);
            return;
        }
        catch (error) {
            await (0,promises_.rm)(dest, { force: true });
            const permanent = error instanceof HttpError && error.permanent;
            if (permanent || attempt >= attempts) {
                throw new Error(`download of ${url} failed after ${attempt} attempt(s): ${error instanceof Error ? error.message : String(error)}`);
            }
            core/* info */.pq(`download attempt ${attempt} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${wait / 1000} s`);
            await new Promise((r) => setTimeout(r, wait));
            wait *= 2;
        }
    }
}
/**
 * Checks a downloaded file's SHA-256 before anything may extract it. On a mismatch the file
 * is deleted and the error names the input, the expected and the actual digest.
 */
async function verifyDigest(file, url, expected) {
    const actual = await sha256File(file);
    if (actual !== expected.sha256.toLowerCase()) {
        await (0,promises_.rm)(file, { force: true });
        throw new Error(`${expected.input}: checksum mismatch for ${url}: expected ${expected.sha256.toLowerCase()}, got ${actual}. Nothing was extracted or cached.`);
    }
    core/* info */.pq(`sha256 ${actual} verified`);
}
class HttpError extends Error {
    status;
    /** 4xx (but 429) and refused redirects: retrying cannot help. */
    permanent;
    constructor(status, url, permanent = status >= 400 && status < 500 && status !== 429) {
        super(`HTTP ${status} from ${url}`);
        this.status = status;
        this.permanent = permanent;
    }
}
// @actions/http-client rather than fetch(): it honours the runner's https_proxy/no_proxy,
// and the undici that @actions/* bundle installs itself as fetch's global dispatcher and
// crashes the process when a server closes the connection right after the body
// (nodejs/undici#5360: python -m http.server, nginx without keep-alive). Redirects are
// followed here because the client rejects a relative Location, which RFC 9110 allows.
async function fetchTo(url, dest) {
    const client = new lib/* HttpClient */.Qq('tls-floor', [], { socketTimeout: 60_000, keepAlive: false, allowRedirects: false });
    try {
        const response = await follow(client, url);
        const total = Number(response.headers['content-length'] ?? 0);
        let received = 0;
        let nextReport = 0.25;
        const started = performance.now();
        response.on('data', (chunk) => {
            received += chunk.length;
            if (total && received / total >= nextReport) {
                core/* info */.pq(`  ${Math.round((received / total) * 100)}% of ${(total / 1048576).toFixed(1)} MiB`);
                nextReport += 0.25;
            }
        });
        await (0,external_node_stream_promises_.pipeline)(response, (0,external_node_fs_.createWriteStream)(dest));
        if (total && received !== total)
            throw new Error(`connection closed after ${received} of ${total} bytes`);
        const secs = (performance.now() - started) / 1000;
        core/* info */.pq(`downloaded ${(received / 1048576).toFixed(1)} MiB in ${secs.toFixed(1)} s from ${url}`);
    }
    finally {
        client.dispose();
    }
}
async function follow(client, url) {
    let current = new URL(url);
    for (let hops = 0; hops <= 10; hops++) {
        const { message } = await client.get(current.href);
        const status = message.statusCode ?? 0;
        if (status === 200)
            return message;
        message.resume();
        const location = message.headers.location;
        if (status < 300 || status >= 400 || !location)
            throw new HttpError(status, current.href);
        const next = new URL(location, current);
        // A checksum still guards the bytes, but an https source must not be fetched in clear.
        if (current.protocol === 'https:' && next.protocol !== 'https:') {
            throw new HttpError(status, `${current.href} (refused redirect from https to ${next.href})`, true);
        }
        current = next;
    }
    throw new Error(`more than 10 redirects from ${url}`);
}
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), hash);
    return hash.digest('hex');
}

// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(9805);
;// CONCATENATED MODULE: ./src/runtime/toolcache.ts




const SIDECAR = 'tls-floor.json';
function toolCacheRoot() {
    const root = process.env['RUNNER_TOOL_CACHE'];
    if (!root)
        throw new Error('RUNNER_TOOL_CACHE is not set: the action needs a tool cache to build into.');
    return root;
}
/** '1.1.1w' -> '1.1.1': the patch letter is part of the variant's identity instead. */
function semverOf(version) {
    return /^\d+\.\d+\.\d+/.exec(version)?.[0] ?? version;
}
function entryDir(entry) {
    return external_node_path_default().join(toolCacheRoot(), entry.tool, semverOf(entry.version), entry.variant);
}
/** The entry's folder when it is complete and its sidecar matches; undefined otherwise. */
function findEntry(entry) {
    const dir = tool_cache/* find */.I6(entry.tool, semverOf(entry.version), entry.variant);
    if (!dir)
        return undefined;
    try {
        const sidecar = JSON.parse((0,external_node_fs_.readFileSync)(external_node_path_default().join(dir, SIDECAR), 'utf8'));
        return JSON.stringify(sidecar.identity) === JSON.stringify(entry.identity) ? dir : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Prepares the final folder for a prefix-dependent build (it bakes its prefix in, so it is
 * built in place, not copied): any half-built leftover and its marker go first.
 */
async function beginEntry(entry) {
    const dir = entryDir(entry);
    await discardEntry(entry);
    await (0,promises_.mkdir)(dir, { recursive: true });
    return dir;
}
/** The sidecar, then the `.complete` marker, last: until then no run takes it for done. */
async function completeEntry(entry, extra = {}) {
    const dir = entryDir(entry);
    await (0,promises_.writeFile)(external_node_path_default().join(dir, SIDECAR), JSON.stringify({ tool: entry.tool, version: entry.version, identity: entry.identity, ...extra }, null, 2) + '\n');
    await (0,promises_.writeFile)(`${dir}.complete`, '');
    return dir;
}
async function discardEntry(entry) {
    const dir = entryDir(entry);
    await (0,promises_.rm)(`${dir}.complete`, { force: true });
    await (0,promises_.rm)(dir, { recursive: true, force: true });
}
function isComplete(entry) {
    return existsSync(`${entryDir(entry)}.complete`);
}

;// CONCATENATED MODULE: ./src/archive/archive.ts









const MANIFEST_NAME = 'tls-floor-runtime.json';
const ARCHIVE_FORMAT = 1;
/** Packs both tool-cache folders (markers excluded: the installer writes them after verifying). */
async function createArchive(plan, report, outDir) {
    const root = toolCacheRoot();
    const members = [plan.openssl.entry, plan.python.entry].map((e) => external_node_path_default().relative(root, entryDir(e)));
    const { jobs: _jobs, ...portablePlan } = plan;
    const manifest = { format: ARCHIVE_FORMAT, createdAt: new Date().toISOString(), plan: portablePlan, toolCacheRoot: root, members, report };
    await (0,promises_.mkdir)(outDir, { recursive: true });
    const staging = await (0,promises_.mkdtemp)(external_node_path_default().join((0,external_node_os_.tmpdir)(), 'tls-floor-archive-'));
    const base = `tls-floor-cpython${plan.python.source.version}-openssl${plan.openssl.source.version}-tls${plan.floor}-${plan.platform.os}-${plan.platform.arch}`;
    const archive = external_node_path_default().join(outDir, `${base}.tar.gz`);
    try {
        await (0,promises_.writeFile)(external_node_path_default().join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
        // The manifest first, so an installer can read it without unpacking the rest.
        const tar = await (0,process_run/* runProcess */.R)('tar', ['-czf', archive, '-C', staging, MANIFEST_NAME, '-C', root, ...members], { timeoutMs: 15 * 60_000 });
        if (tar.code !== 0)
            throw new Error(`cannot create ${archive}: ${tar.stderr.trim()}`);
    }
    finally {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
    const sha256 = await sha256File(archive);
    const bytes = (await (0,promises_.stat)(archive)).size;
    const manifestPath = `${archive}.manifest.json`;
    await (0,promises_.writeFile)(manifestPath, JSON.stringify({ ...manifest, archive: { file: external_node_path_default().basename(archive), sha256, bytes } }, null, 2) + '\n');
    await (0,promises_.writeFile)(`${archive}.sha256`, `${sha256}  ${external_node_path_default().basename(archive)}\n`);
    return { path: archive, sha256, bytes, manifestPath };
}
/** Reads the first member of a .tar.gz without unpacking the rest. */
async function readManifest(archive) {
    const chunks = [];
    let length = 0;
    const stream = (0,external_node_fs_.createReadStream)(archive).pipe((0,external_node_zlib_.createGunzip)());
    try {
        for await (const chunk of stream) {
            chunks.push(chunk);
            length += chunk.length;
            if (length >= 512) {
                const header = Buffer.concat(chunks);
                const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
                const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
                if (name.replace(/^\.\//, '') !== MANIFEST_NAME || !(size > 0) || size > 64 * 1024 * 1024)
                    break;
                if (length >= 512 + size)
                    return JSON.parse(header.subarray(512, 512 + size).toString('utf8'));
            }
        }
    }
    catch {
        // fall through: not a tar.gz we made
    }
    finally {
        stream.destroy();
    }
    throw new errors/* InputError */.d(`runtime-archive-url: the archive has no ${MANIFEST_NAME} as its first member; it is not a tls-floor runtime archive.`);
}
/** Why this archive cannot serve this request, or undefined when it can. */
function manifestMismatch(manifest, want, root) {
    if (manifest.format !== ARCHIVE_FORMAT)
        return `archive format ${manifest.format}, this action reads format ${ARCHIVE_FORMAT}`;
    const { plan } = manifest;
    if (want.python && plan.python.source.version !== want.python)
        return `it holds CPython ${plan.python.source.version}, not the requested ${want.python}`;
    if (want.openssl && plan.openssl.source.version !== want.openssl)
        return `it holds OpenSSL ${plan.openssl.source.version}, not the requested ${want.openssl}`;
    if (plan.floor !== want.floor)
        return `it was built for a TLS ${plan.floor} floor, not ${want.floor}`;
    const p = plan.platform;
    if (p.os !== want.platform.os || p.arch !== want.platform.arch || p.osRelease !== want.platform.osRelease) {
        return `it was built on ${p.os} ${p.osRelease} ${p.arch}, this runner is ${want.platform.os} ${want.platform.osRelease} ${want.platform.arch}`;
    }
    if (manifest.toolCacheRoot !== root)
        return `it was built in the tool cache ${manifest.toolCacheRoot} (CPython bakes its prefix in), this runner's is ${root}`;
    const expected = [plan.openssl.entry, plan.python.entry].map((e) => external_node_path_default().join(e.tool, /^\d+\.\d+\.\d+/.exec(e.version)?.[0] ?? e.version, e.variant));
    if (JSON.stringify(manifest.members) !== JSON.stringify(expected))
        return `its members ${manifest.members.join(', ')} are not the folders its plan names`;
    return undefined;
}
/** Unpacks exactly the manifest's members into the tool cache root. */
async function extractMembers(archive, manifest, root) {
    const tar = await (0,process_run/* runProcess */.R)('tar', ['-xzf', archive, '-C', root, ...manifest.members], { timeoutMs: 15 * 60_000 });
    if (tar.code !== 0)
        throw new Error(`cannot extract ${archive}: ${tar.stderr.trim().split('\n').slice(-1)[0]}`);
}

;// CONCATENATED MODULE: ./src/runtime/plan.ts


/** Bumped whenever a change here changes the bytes of a build: old entries no longer match. */
const BUILD_FORMAT = 1;
/**
 * OpenSSL without every protocol below the floor (DTLS too), static, position-independent
 * so it can live inside CPython's shared extension modules, libraries in lib/ (not lib64/,
 * where CPython would not look), and nothing built that no user needs.
 */
function opensslOptions(floor) {
    return [
        'no-shared',
        '-fPIC',
        'no-tests',
        'no-ssl3',
        'no-tls1',
        'no-tls1_1',
        ...(floor === '1.3' ? ['no-tls1_2', 'no-dtls'] : ['no-dtls1']),
    ];
}
function planBuild(args) {
    const { floor, platform } = args;
    const system = { os: platform.os, osRelease: platform.osRelease, arch: platform.arch };
    const sslOptions = opensslOptions(floor);
    const opensslIdentity = { format: BUILD_FORMAT, openssl: args.openssl.version, sha256: args.openssl.sha256 ?? null, floor, options: sslOptions, ...system };
    const opensslVariant = `${platform.arch}-tls${floor}-${digest(opensslIdentity)}`;
    const pythonIdentity = { format: BUILD_FORMAT, python: args.python.version, sha256: args.python.sha256 ?? null, options: args.pythonOptions, openssl: opensslVariant, ...system };
    return {
        floor,
        platform,
        jobs: args.jobs,
        openssl: {
            source: args.openssl,
            options: sslOptions,
            entry: { tool: 'tls-floor-openssl', version: args.openssl.version, variant: opensslVariant, identity: opensslIdentity },
        },
        python: {
            source: args.python,
            options: args.pythonOptions,
            entry: {
                tool: 'tls-floor-python',
                version: args.python.version,
                variant: `${platform.arch}-tls${floor}-openssl${args.openssl.version}-${digest(pythonIdentity)}`,
                identity: pythonIdentity,
            },
        },
    };
}
function digest(value) {
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
/**
 * The source of one component: the URL (the user's template, else the known release's own
 * location, else the upstream template) and the checksum (the user's, else the known
 * release's). A version with neither is refused unless unverified sources are allowed.
 */
function sourceSpec(name, input, known, defaultTemplate, allowUnverified) {
    const release = known[input.version];
    const url = input.urlTemplate ? input.urlTemplate.replaceAll('{version}', input.version) : (release?.url ?? defaultTemplate.replaceAll('{version}', input.version));
    // A mirror must serve the same bytes, so the known checksum holds for it too.
    const sha256 = input.sha256 ?? release?.sha256;
    if (sha256)
        return { name, version: input.version, url, sha256, checksumFrom: input.sha256 ? 'input' : 'known-releases' };
    if (!allowUnverified) {
        throw new errors/* InputError */.d(`${name}-sha256: no checksum for ${name === 'python' ? 'CPython' : 'OpenSSL'} ${input.version} (the action knows ${Object.keys(known).join(', ')}); give ${name}-sha256 with the SHA-256 of ${url}, or set allow-unverified-source: true to build without one.`);
    }
    return { name, version: input.version, url, checksumFrom: 'none' };
}

;// CONCATENATED MODULE: ./src/cache/crossrun.ts





/** @actions/cache, loaded only when a build needs it. */
function actionsCache() {
    const load = () => __webpack_require__.e(/* import() */ 691).then(__webpack_require__.bind(__webpack_require__, 1691));
    return {
        available: () => Boolean(process.env['ACTIONS_RESULTS_URL'] || process.env['ACTIONS_CACHE_URL']),
        restore: async (paths, key) => (await load()).restoreCache(paths, key),
        save: async (paths, key) => {
            const id = await (await load()).saveCache(paths, key);
            // The library reports most failures as a warning and an id of -1 rather than throwing.
            if (id === -1)
                throw new Error('the cache service did not store the entry (see the warning above)');
        },
    };
}
// Key limits of the cache service: 512 characters, no commas.
const MAX_KEY = 512;
/**
 * Everything that changes the bytes: OS and release, architecture, versions, source
 * checksums, floor, build options, the tool-cache root (the prefix is baked into the
 * build) and our own format version. Readable parts first, a digest of the rest last.
 */
function cacheKey(plan, root = toolCacheRoot()) {
    const { platform } = plan;
    const digest = (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify({
        format: BUILD_FORMAT,
        root,
        python: plan.python.entry.identity,
        openssl: plan.openssl.entry.identity,
    }))
        .digest('hex')
        .slice(0, 16);
    const key = [
        'tls-floor',
        `v${BUILD_FORMAT}`,
        platform.os,
        platform.osRelease,
        platform.arch,
        `cpython${plan.python.source.version}`,
        `openssl${plan.openssl.source.version}`,
        `tls${plan.floor}`,
        digest,
    ]
        .join('-')
        .replace(/[^A-Za-z0-9._-]/g, '_');
    return key.slice(0, MAX_KEY);
}
/** Both tool-cache folders and their completion markers, so that tc.find finds them restored. */
function cachePaths(plan) {
    return [plan.openssl.entry, plan.python.entry].flatMap((entry) => [entryDir(entry), `${entryDir(entry)}.complete`]);
}
/** A restore that fails is a warning: the job builds instead. */
async function restoreRuntime(cache, plan) {
    const key = cacheKey(plan);
    try {
        const restored = await cache.restore(cachePaths(plan), key);
        core/* info */.pq(restored === key ? `Cross-run cache hit: ${key}` : `Cross-run cache miss: ${key}`);
        return restored === key;
    }
    catch (error) {
        core/* warning */.$e(`Cross-run cache restore failed (building instead): ${(0,errors/* describeError */.U)(error)}`);
        return false;
    }
}
/** A save that fails (service down, read-only for a fork's pull request) is a warning. */
async function saveRuntime(cache, plan) {
    const key = cacheKey(plan);
    try {
        await cache.save(cachePaths(plan), key);
        core/* info */.pq(`Saved to the cross-run cache: ${key}`);
        return true;
    }
    catch (error) {
        core/* warning */.$e(`Cross-run cache save failed (the runtime is still verified and usable): ${(0,errors/* describeError */.U)(error)}`);
        return false;
    }
}
/** Save only what this run built and proved, and only when the cache did not have it. */
function shouldSave(state) {
    return state.enabled && state.built && !state.restoredExact && state.verdict === 'pass';
}

;// CONCATENATED MODULE: ./src/runtime/compat.ts
/** Parses '3.11.2' or '1.1.1w' into comparable numbers (the letter counts after the patch). */
function versionKey(version) {
    const m = /^(\d+)\.(\d+)\.(\d+)([a-z]?)$/.exec(version);
    if (!m)
        return [];
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? m[4].charCodeAt(0) - 96 : 0];
}
function atLeast(version, minimum) {
    const a = versionKey(version);
    const b = versionKey(minimum);
    for (let i = 0; i < 4; i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0))
            return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
}
/**
 * Combinations that cannot work, refused before anything is downloaded. Small on purpose:
 * each rule names its source.
 */
function incompatibility(python, openssl) {
    if (!atLeast(python, '3.7.0')) {
        return `CPython ${python} cannot be built against a chosen OpenSSL: the configure option --with-openssl arrived in CPython 3.7 (What's New in Python 3.7, Build Changes).`;
    }
    if (atLeast(python, '3.10.0') && !atLeast(openssl, '1.1.1')) {
        return `CPython ${python} needs OpenSSL 1.1.1 or newer (PEP 644), not ${openssl}.`;
    }
    if (!atLeast(openssl, '1.1.1')) {
        return `OpenSSL ${openssl} is out of support and has no TLS 1.3; use 1.1.1 or newer (OpenSSL release strategy).`;
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/runtime/steps.ts




/** Runs `work` inside a log group whose closing line gives the elapsed time. */
async function timedGroup(title, work) {
    const started = performance.now();
    core/* startGroup */.Oh(title);
    try {
        return await work();
    }
    finally {
        core/* info */.pq(`${title}: ${seconds(started)}`);
        core/* endGroup */.N4();
    }
}
function seconds(since) {
    return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
/**
 * Runs one build command (no shell). Its output goes to a log file, since a compiler's
 * thousands of lines bury the story; the log gets a heartbeat with the latest line, and on
 * failure the last lines and the path of the full log.
 */
async function runCommand(command, args, options) {
    const started = performance.now();
    const log = (0,external_node_fs_.createWriteStream)(options.logFile, { flags: 'a' });
    log.write(`\n$ ${command} ${args.join(' ')}\n`);
    core/* info */.pq(`$ ${command} ${args.join(' ')}`);
    let lastLine = '';
    // Its own process group, so that a cancellation stops the compilers under make too.
    const child = (0,external_node_child_process_.spawn)(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const onData = (chunk) => {
        log.write(chunk);
        const lines = chunk.toString('utf8').trimEnd().split('\n');
        lastLine = lines[lines.length - 1] ?? lastLine;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const heartbeat = setInterval(() => core/* info */.pq(`  ... ${seconds(started)} elapsed; latest: ${lastLine.slice(0, 160)}`), options.heartbeatMs ?? 30_000);
    // A cancelled job (SIGINT/SIGTERM to us) must not leave a compiler running.
    const stop = () => {
        try {
            if (child.pid)
                process.kill(-child.pid, 'SIGTERM');
        }
        catch {
            // already gone
        }
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    try {
        const code = await new Promise((resolve, reject) => {
            child.once('error', reject);
            child.once('close', resolve);
        });
        await new Promise((resolve) => log.end(resolve));
        if (code !== 0) {
            const tail = (await (0,promises_.readFile)(options.logFile, 'utf8')).trimEnd().split('\n').slice(-40).join('\n');
            core/* info */.pq(`--- last lines of ${options.logFile} ---\n${tail}`);
            throw new Error(`'${command} ${args.slice(0, 3).join(' ')}' failed with exit code ${code} after ${seconds(started)}; full log: ${options.logFile}`);
        }
    }
    finally {
        clearInterval(heartbeat);
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        if (!log.closed)
            log.end();
    }
}

;// CONCATENATED MODULE: ./src/runtime/cpython.ts





/** Configure options that depend only on the CPython version and OS (part of the build identity). */
function pythonOptions(version, os) {
    return [
        '--with-ensurepip=install', // pip, as users expect of a setup-python-like runtime
        ...(atLeast(version, '3.10.0') ? ['--disable-test-modules'] : []), // _testcapi & co: no user needs them
        // The release flags without -g: debug info costs compile time and makes the install
        // (and every archive of it) several times larger; nobody debugs CI's interpreter in gdb.
        'OPT=-DNDEBUG -fwrapv -O3 -Wall',
        // 3.11+ on GNU ld: link libssl.a/libcrypto.a by name (-l:) and keep their symbols out of
        // _ssl's exports (--exclude-libs), so no other module can bind to our copy or we to theirs.
        ...(os === 'linux' && atLeast(version, '3.11.0') ? ['PY_UNSUPPORTED_OPENSSL_BUILD=static'] : []),
    ];
}
/**
 * Configures CPython with its final prefix (it bakes it in) against the hardened OpenSSL,
 * builds with every job allowed, installs, and adds the `python` and `pip` names.
 */
async function buildPython(plan, prefix, opensslPrefix, ctx) {
    const run = (cmd, args) => runCommand(cmd, args, { cwd: ctx.srcDir, logFile: ctx.logFile, env: ctx.env });
    await run('./configure', [`--prefix=${prefix}`, `--with-openssl=${opensslPrefix}`, ...plan.python.options]);
    await run('make', [`-j${plan.jobs}`]);
    // install is not safe in parallel; its byte-compilation uses every core by itself.
    await run('make', ['install']);
    const bin = external_node_path_default().join(prefix, 'bin');
    for (const [name, target] of [
        ['python', 'python3'],
        ['pip', 'pip3'],
    ]) {
        if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(bin, name)) && (0,external_node_fs_.existsSync)(external_node_path_default().join(bin, target)))
            await (0,promises_.symlink)(target, external_node_path_default().join(bin, name));
    }
}
function pythonExecutable(prefix) {
    return external_node_path_default().join(prefix, 'bin', 'python3');
}

;// CONCATENATED MODULE: ./src/runtime/openssl.ts




/** Where the system keeps its CA bundle and certificate folder, most common first. */
const SYSTEM_CA_FILES = [
    '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine
    '/etc/pki/tls/certs/ca-bundle.crt', // RHEL, Fedora, Amazon Linux
    '/etc/ssl/ca-bundle.pem', // openSUSE
    '/etc/ssl/cert.pem', // macOS, Alpine
];
const SYSTEM_CA_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];
/** Configures, builds and installs the hardened OpenSSL into `prefix` (its tool-cache folder). */
async function buildOpenssl(plan, prefix, ctx) {
    const run = (cmd, args) => runCommand(cmd, args, { cwd: ctx.srcDir, logFile: ctx.logFile, env: ctx.env });
    // ./config guesses the target on every version we support (Configure needs it named on 1.1.1).
    await run('./config', [`--prefix=${prefix}`, `--openssldir=${external_node_path_default().join(prefix, 'ssl')}`, '--libdir=lib', ...plan.openssl.options]);
    // Only the libraries and headers: no apps, tests or manuals (hundreds of pages to render).
    await run('make', [`-j${plan.jobs}`, 'build_libs']);
    await run('make', ['install_dev']);
    await wireTrustStore(external_node_path_default().join(prefix, 'ssl'));
}
/**
 * A custom OPENSSLDIR starts with no CA certificates, so every real HTTPS request of the
 * hardened Python would fail. Point it at the system's store (links, so CA updates reach it).
 */
async function wireTrustStore(openssldir) {
    await (0,promises_.mkdir)(openssldir, { recursive: true });
    const caFile = SYSTEM_CA_FILES.find((f) => (0,external_node_fs_.existsSync)(f));
    const caDir = SYSTEM_CA_DIRS.find((d) => (0,external_node_fs_.existsSync)(d));
    if (caFile)
        await (0,promises_.symlink)(caFile, external_node_path_default().join(openssldir, 'cert.pem'));
    if (caDir)
        await (0,promises_.symlink)(caDir, external_node_path_default().join(openssldir, 'certs'));
}
/** The installed version, read from the headers the build produced. */
async function installedOpensslVersion(prefix) {
    const header = await (0,promises_.readFile)(external_node_path_default().join(prefix, 'include', 'openssl', 'opensslv.h'), 'utf8').catch(() => '');
    // 3.x: # define OPENSSL_VERSION_TEXT "OpenSSL 3.0.22 ..."; 1.1.1: "OpenSSL 1.1.1w  11 Sep 2023"
    return /OPENSSL_VERSION_TEXT\s+"OpenSSL (\S+)/.exec(header)?.[1] ?? (/OPENSSL_FULL_VERSION_STR\s+"(\S+)"/.exec(header)?.[1]);
}
/** The static libraries the CPython build must link, and no shared ones it could pick instead. */
function checkOpensslInstall(prefix) {
    const lib = external_node_path_default().join(prefix, 'lib');
    const problems = [];
    for (const name of ['libssl.a', 'libcrypto.a']) {
        if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(lib, name)))
            problems.push(`${name} missing from ${lib}`);
    }
    for (const name of ['libssl.so', 'libcrypto.so', 'libssl.dylib', 'libcrypto.dylib']) {
        if ((0,external_node_fs_.existsSync)(external_node_path_default().join(lib, name)))
            problems.push(`${name} present in ${lib} (the build must be static)`);
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/runtime/sources.ts





/**
 * Downloads a source tarball, verifies its checksum, and only then extracts it into
 * `workDir/src` (top folder stripped). Returns the source folder.
 */
async function fetchSource(source, workDir) {
    const archive = external_node_path_default().join(workDir, external_node_path_default().basename(new URL(source.url).pathname) || `${source.name}-source`);
    await download(source.url, archive);
    if (source.sha256) {
        await verifyDigest(archive, source.url, { sha256: source.sha256, input: `${source.name}-sha256` });
    }
    else {
        const digest = await sha256File(archive);
        core/* warning */.$e(`UNVERIFIED SOURCE: ${source.url} is used without a checksum because allow-unverified-source is true. Its SHA-256 is ${digest}; pin it with '${source.name}-sha256: ${digest}'.`);
    }
    const srcDir = external_node_path_default().join(workDir, 'src');
    await (0,promises_.mkdir)(srcDir, { recursive: true });
    // tar recognises gzip and xz by their magic bytes, whatever the file is called.
    const tar = await (0,process_run/* runProcess */.R)('tar', ['-xf', archive, '-C', srcDir, '--strip-components=1'], { timeoutMs: 10 * 60_000 });
    if (tar.code !== 0)
        throw new Error(`cannot extract ${source.url}: ${tar.stderr.trim().split('\n').slice(-1)[0]}`);
    return srcDir;
}

;// CONCATENATED MODULE: ./src/runtime/verify.ts

class VerificationError extends Error {
    name = 'VerificationError';
}
/**
 * Extension modules that CPython skips, silently, when the build machine lacks their headers;
 * each with the Debian/Ubuntu package that provides them. Not fatal: TLS does not need them,
 * but pip, sqlite users and ctypes-based packages do.
 */
const OPTIONAL_MODULES = {
    zlib: 'zlib1g-dev',
    _ctypes: 'libffi-dev',
    _bz2: 'libbz2-dev',
    _lzma: 'liblzma-dev',
    _sqlite3: 'libsqlite3-dev',
    _uuid: 'uuid-dev',
    readline: 'libreadline-dev',
    _curses: 'libncurses-dev',
};
/** One warning line naming the modules that did not build and what to install; undefined when none. */
function missingModulesWarning(missing) {
    if (missing.length === 0)
        return undefined;
    const packages = missing.map((m) => OPTIONAL_MODULES[m]).filter(Boolean);
    return `CPython was built without ${missing.join(', ')}: the build machine lacks their headers. Install them before this step and rebuild (Debian/Ubuntu: apt-get install ${packages.join(' ')}).`;
}
const CHECK = `
import json, os, sys
out = {"python": sys.version.split()[0]}
try:
    import ssl, _ssl
except ImportError as e:
    out["error"] = "import ssl failed: %s" % e
    print(json.dumps(out)); sys.exit(0)
out["openssl"] = ssl.OPENSSL_VERSION
out["has"] = {n: getattr(ssl, n, None) for n in ("HAS_SSLv3", "HAS_TLSv1", "HAS_TLSv1_1", "HAS_TLSv1_2", "HAS_TLSv1_3")}
out["modules"] = [m.__file__ for m in (_ssl, __import__("_hashlib")) if getattr(m, "__file__", None)]
maps = []
try:
    for line in open("/proc/self/maps"):
        p = line.split(None, 5)
        if len(p) == 6 and os.path.basename(p[5].strip()).startswith(("libssl", "libcrypto")):
            maps.append(p[5].strip())
except OSError:
    pass
out["mapped"] = sorted(set(maps))
out["verifyPaths"] = dict(zip(("cafile", "capath", "openssl_cafile_env", "openssl_cafile", "openssl_capath_env", "openssl_capath"), ssl.get_default_verify_paths()))
out["caCount"] = ssl.create_default_context().cert_store_stats()["x509_ca"]
missing = []
for name in ${JSON.stringify(Object.keys(OPTIONAL_MODULES))}:
    try:
        __import__(name)
    except ImportError:
        missing.append(name)
out["missing"] = missing
print(json.dumps(out))
`;
/**
 * What a runtime says of itself, with no judgement: the facts verification needs. Run
 * without SSL_CERT_FILE/SSL_CERT_DIR: the trust store must come from the build itself, not
 * from a variable this runner happens to set.
 */
async function inspectRuntime(python) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SSL_CERT_FILE' && k !== 'SSL_CERT_DIR'));
    const run = await (0,process_run/* runProcess */.R)(python, ['-E', '-s', '-c', CHECK], { timeoutMs: 60_000, env });
    let seen;
    try {
        seen = JSON.parse(run.stdout);
    }
    catch {
        throw new VerificationError(`${python} could not run the verification (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    }
    if (seen.error)
        throw new VerificationError(`${python}: ${seen.error}`);
    const linked = (await Promise.all(seen.modules.map(linkedTlsLibraries))).flat();
    return {
        pythonVersion: seen.python,
        opensslVersion: seen.openssl,
        has: seen.has,
        sslModule: seen.modules[0] ?? 'built-in',
        tlsLibraries: [...new Set([...linked, ...seen.mapped])],
        defaultCaCount: seen.caCount,
        verifyPaths: seen.verifyPaths,
        missingModules: seen.missing,
    };
}
/**
 * Checks a freshly built (or restored) runtime before anyone may use it: it speaks the
 * OpenSSL it was built against and no other, that OpenSSL lacks the protocols below the
 * floor, and its default trust store is not empty. Every failure is listed at once.
 */
async function verifyRuntime(python, expected) {
    const seen = await inspectRuntime(python);
    const problems = [];
    if (!seen.opensslVersion.startsWith(`OpenSSL ${expected.opensslVersion} `)) {
        problems.push(`ssl.OPENSSL_VERSION is '${seen.opensslVersion}', not OpenSSL ${expected.opensslVersion}`);
    }
    const mustBeOff = ['HAS_SSLv3', 'HAS_TLSv1', 'HAS_TLSv1_1', ...(expected.floor === '1.3' ? ['HAS_TLSv1_2'] : [])];
    for (const name of mustBeOff) {
        if (seen.has[name] !== false)
            problems.push(`ssl.${name} is ${seen.has[name]}, must be False`);
    }
    const foreign = seen.tlsLibraries.filter((lib) => !expected.opensslPrefix || !lib.startsWith(expected.opensslPrefix + '/'));
    if (foreign.length > 0)
        problems.push(`_ssl uses a TLS library other than the one built: ${foreign.join(', ')}`);
    if (!(seen.defaultCaCount > 0)) {
        problems.push(`the default trust store is empty (cafile ${seen.verifyPaths['cafile'] ?? seen.verifyPaths['openssl_cafile']}): real HTTPS requests would fail`);
    }
    if (problems.length > 0) {
        throw new VerificationError(`the runtime at ${python} failed verification: ${problems.join('; ')}.`);
    }
    return seen;
}
/** libssl/libcrypto a shared object links dynamically, per ldd (Linux) or otool -L (macOS). */
async function linkedTlsLibraries(file) {
    const [cmd, args] = process.platform === 'darwin' ? ['otool', ['-L', file]] : ['ldd', [file]];
    const run = await (0,process_run/* runProcess */.R)(cmd, args, { timeoutMs: 30_000 }).catch(() => undefined);
    if (!run || run.code !== 0)
        return [];
    return run.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /(^|\/)lib(ssl|crypto)[.\-]/.test(line.split(/\s+/)[0] ?? ''))
        .map((line) => (process.platform === 'darwin' ? line.split(/\s+/)[0] : (/=>\s*(\S+)/.exec(line)?.[1] ?? line.split(/\s+/)[0])));
}

;// CONCATENATED MODULE: ./src/runtime/hardened.ts










/**
 * Builds the hardened runtime that the tool cache lacks: OpenSSL first unless found (its own
 * entry, shared by every CPython built on it), then CPython against it. A build is verified
 * before its entry is marked complete; a failure leaves no entry behind.
 */
async function buildHardenedRuntime(plan) {
    const foundOpenssl = findEntry(plan.openssl.entry);
    const logDir = external_node_path_default().join(process.env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)(), 'tls-floor-logs');
    await (0,promises_.mkdir)(logDir, { recursive: true });
    const opensslPrefix = foundOpenssl ?? (await buildEntry(plan.openssl, 'OpenSSL', plan.jobs, logDir, async (prefix, ctx) => {
        await buildOpenssl(plan, prefix, ctx);
        const problems = checkOpensslInstall(prefix);
        const version = await installedOpensslVersion(prefix);
        if (version !== plan.openssl.source.version)
            problems.push(`the headers say OpenSSL ${version}, not ${plan.openssl.source.version}`);
        if (problems.length)
            throw new Error(`the OpenSSL build failed verification: ${problems.join('; ')}`);
    }));
    if (foundOpenssl)
        core/* info */.pq(`Found OpenSSL ${plan.openssl.source.version} in the tool cache: ${foundOpenssl}`);
    const expectation = (opensslPrefix) => ({ opensslVersion: plan.openssl.source.version, floor: plan.floor, opensslPrefix });
    let verification;
    const prefix = await buildEntry(plan.python, 'CPython', plan.jobs, logDir, async (prefix, ctx) => {
        await buildPython(plan, prefix, opensslPrefix, ctx);
        verification = await timedGroup('Verify the new runtime', () => verifyRuntime(pythonExecutable(prefix), expectation(opensslPrefix)));
    });
    return { python: pythonExecutable(prefix), prefix, opensslPrefix, found: { python: false, openssl: Boolean(foundOpenssl) }, verification: verification };
}
/**
 * Both entries complete in the tool cache, verified again (cheap, and a cached runtime is
 * trusted no more than a new one). Undefined when either is missing.
 */
async function findCachedRuntime(plan) {
    const opensslPrefix = findEntry(plan.openssl.entry);
    const prefix = opensslPrefix ? findEntry(plan.python.entry) : undefined;
    if (!opensslPrefix || !prefix)
        return undefined;
    core/* info */.pq(`Found CPython ${plan.python.source.version} on OpenSSL ${plan.openssl.source.version} in the tool cache: ${prefix}`);
    const verification = await timedGroup('Verify the cached runtime', () => verifyRuntime(pythonExecutable(prefix), { opensslVersion: plan.openssl.source.version, floor: plan.floor, opensslPrefix }));
    return { python: pythonExecutable(prefix), prefix, opensslPrefix, found: { python: true, openssl: true }, verification };
}
/**
 * Downloads, verifies and extracts the source, builds straight into the final tool-cache
 * folder (the prefix is baked in), and marks the entry complete only after `build` (which
 * verifies) succeeded. Any failure removes the folder: the next run starts clean.
 */
async function buildEntry(part, label, jobs, logDir, build) {
    const { entry, source } = part;
    const version = source.version;
    const work = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)(), `tls-floor-${source.name}-`));
    const logFile = external_node_path_default().join(logDir, `${source.name}-${version}-build.log`);
    try {
        const srcDir = await timedGroup(`Download and verify ${label} ${version}`, () => fetchSource(source, work));
        const prefix = await beginEntry(entry);
        try {
            await timedGroup(`Build ${label} ${version} (${jobs} jobs)`, () => build(prefix, { srcDir, logFile, env: process.env }));
        }
        catch (error) {
            await discardEntry(entry);
            throw error;
        }
        return await completeEntry(entry, { builtAt: new Date().toISOString(), source: source.url, sha256: source.sha256 ?? null });
    }
    finally {
        await (0,promises_.rm)(work, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/runtime/platform.ts



/** Linux x86-64/arm64 first, macOS where the tools allow; anything else is refused. */
function detectPlatform() {
    const platform = process.platform;
    const arch = process.arch;
    if ((platform !== 'linux' && platform !== 'darwin') || (arch !== 'x64' && arch !== 'arm64')) {
        throw new Error(`building a hardened runtime is not supported on ${platform}/${arch}: Linux and macOS on x64 or arm64 only. Probe an existing interpreter with python-path instead.`);
    }
    return { os: platform, osRelease: platform === 'linux' ? linuxRelease() : macRelease(), arch };
}
function linuxRelease() {
    try {
        const text = (0,external_node_fs_.readFileSync)('/etc/os-release', 'utf8');
        const field = (name) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
        return `${field('ID') ?? 'linux'}-${field('VERSION_ID') ?? external_node_os_default().release()}`;
    }
    catch {
        return `linux-${external_node_os_default().release()}`;
    }
}
function macRelease() {
    try {
        return `macos-${(0,external_node_child_process_.execFileSync)('sw_vers', ['-productVersion'], { encoding: 'utf8' }).trim()}`;
    }
    catch {
        return `macos-${external_node_os_default().release()}`;
    }
}

// EXTERNAL MODULE: ./src/runtime/releases.ts
var releases = __webpack_require__(9868);
;// CONCATENATED MODULE: ./src/runtime/obtain.ts

















/** Turns the build inputs into a plan, refusing what cannot work before any download. */
function planFromInputs(build, floor) {
    const problem = incompatibility(build.python.version, build.openssl.version);
    if (problem)
        throw new errors/* InputError */.d(`python-version/openssl-version: ${problem}`);
    const python = sourceSpec('python', build.python, releases/* PYTHON_RELEASES */.Ac, releases/* PYTHON_URL_TEMPLATE */.CG, build.allowUnverifiedSource);
    const openssl = sourceSpec('openssl', build.openssl, releases/* OPENSSL_RELEASES */.MJ, releases/* OPENSSL_URL_TEMPLATE */.WF, build.allowUnverifiedSource);
    if (build.allowUnverifiedSource)
        core/* warning */.$e('allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.');
    const platform = detectPlatform();
    return planBuild({ floor, platform, jobs: build.jobs, python, openssl, pythonOptions: pythonOptions(build.python.version, platform.os) });
}
/**
 * The hardened runtime, from the first place that has it: the tool cache, then the given
 * archive or the cross-run cache, then a build. Whatever the source, it is verified.
 */
async function obtainRuntime(build, floor, options) {
    if (options.archive)
        return installFromArchive(options.archive, build, floor);
    const plan = planFromInputs(build, floor);
    const cached = await findCachedRuntime(plan);
    if (cached)
        return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: false };
    if (options.cache && (await timedGroup('Restore from the cross-run cache', () => restoreRuntime(options.cache, plan)))) {
        const restored = await findCachedRuntime(plan);
        if (restored)
            return { plan, runtime: restored, cacheHit: 'cross-run', built: false, fromArchive: false };
        core/* warning */.$e('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
    }
    const runtime = await buildHardenedRuntime(plan);
    return { plan, runtime, cacheHit: 'none', built: true, fromArchive: false };
}
/**
 * Installs a runtime archive: checksum first, then the manifest must match the request,
 * then only its members are unpacked; the runtime is verified before it is marked complete.
 */
async function installFromArchive(source, build, floor) {
    const work = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)(), 'tls-floor-archive-'));
    try {
        const file = external_node_path_default().join(work, 'runtime.tar.gz');
        const manifest = await timedGroup('Download and verify the runtime archive', async () => {
            await download(source.url, file);
            await verifyDigest(file, source.url, { sha256: source.sha256, input: 'runtime-archive-sha256' });
            return readManifest(file);
        });
        const root = toolCacheRoot();
        const mismatch = manifestMismatch(manifest, { ...(build.python.given ? { python: build.python.version } : {}), ...(build.openssl.given ? { openssl: build.openssl.version } : {}), floor, platform: detectPlatform() }, root);
        if (mismatch)
            throw new errors/* InputError */.d(`runtime-archive-url: the archive is refused: ${mismatch}.`);
        const plan = { ...manifest.plan, jobs: build.jobs };
        const cached = await findCachedRuntime(plan);
        if (cached)
            return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: true };
        const entries = [plan.openssl.entry, plan.python.entry];
        for (const entry of entries)
            await discardEntry(entry);
        try {
            const runtime = await timedGroup('Install and verify the runtime archive', async () => {
                await extractMembers(file, manifest, root);
                const [opensslPrefix, prefix] = entries.map((e) => external_node_path_default().join(root, manifest.members[entries.indexOf(e)]));
                const verification = await verifyRuntime(pythonExecutable(prefix), { opensslVersion: plan.openssl.source.version, floor, opensslPrefix });
                for (const entry of entries)
                    await completeEntry(entry, { installedFrom: source.url, archiveSha256: source.sha256 });
                return { python: pythonExecutable(prefix), prefix, opensslPrefix, found: { python: false, openssl: false }, verification };
            });
            return { plan, runtime, cacheHit: 'none', built: false, fromArchive: true };
        }
        catch (error) {
            for (const entry of entries)
                await discardEntry(entry);
            throw error;
        }
    }
    finally {
        await (0,promises_.rm)(work, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/runtime/index.ts
// The build path's entry: main loads it lazily, so a probe-only run never pays for it.






/***/ })

};
