export const id = 277;
export const ids = [277];
export const modules = {

/***/ 8277:
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
  preferPrebuilt: () => (/* reexport */ preferPrebuilt),
  saveRuntime: () => (/* reexport */ saveRuntime),
  shouldSave: () => (/* reexport */ shouldSave)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/shared/cancellation.ts
var cancellation = __webpack_require__(8629);
// EXTERNAL MODULE: ./src/shared/process.ts + 2 modules
var shared_process = __webpack_require__(454);
// EXTERNAL MODULE: ./src/shared/sha256.ts
var shared_sha256 = __webpack_require__(1510);
// EXTERNAL MODULE: ./src/runtime/model/versions.ts + 3 modules
var versions = __webpack_require__(6112);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
;// CONCATENATED MODULE: ./src/runtime/tar.ts

// tar, the program: it unpacks the source tarballs (source_tarball.ts) and packs and unpacks
// the runtime archives (archive/pack.ts, archive/extract.ts).
/** The line of tar's complaint that says what went wrong (not 'Exiting with failure status'). */
function tarProblem(stderr) {
    const lines = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const meaningful = lines.filter((l) => !/Exiting with failure status|Error is not recoverable|Error exit delayed|Removing leading/.test(l));
    return (0,errors/* clip */.$Q)((meaningful[0] ?? lines[lines.length - 1] ?? 'no message').replace(/^(\S*\/)?(bsd)?tar: /, ''), 300);
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
    const dir = await openEntry(entry);
    await (0,promises_.mkdir)(dir, { recursive: true });
    return dir;
}
/** Until it is complete or discarded, an entry being written goes if the run is cancelled. */
const unfinished = new Map();
/** Clears the entry's folder for writing and owns it until `completeEntry` or `discardEntry`. */
async function openEntry(entry) {
    const dir = entryDir(entry);
    await discardEntry(entry);
    const releases = [
        (0,cancellation/* ownUntilDone */.r1)(dir),
        (0,cancellation/* ownUntilDone */.r1)(`${dir}.complete`),
        ...entryParents(entry).map((parent) => (0,cancellation/* ownWhileEmpty */.l0)(parent)),
    ];
    unfinished.set(dir, () => {
        for (const release of releases)
            release();
    });
    return dir;
}
/** tls-floor-python/3.13.15 and tls-floor-python: made for an entry, left only if something else is in them. */
function entryParents(entry) {
    const version = external_node_path_default().dirname(entryDir(entry));
    return [version, external_node_path_default().dirname(version)];
}
function release(dir) {
    unfinished.get(dir)?.();
    unfinished.delete(dir);
}
/** The sidecar, then the `.complete` marker, last: until then no run takes it for done. */
async function completeEntry(entry, extra = {}) {
    const dir = entryDir(entry);
    // A new file, never through a link: whatever an archive brought under these names goes first
    // (rm removes a link itself, not what it points to).
    const exclusive = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL | external_node_fs_.constants.O_NOFOLLOW;
    await (0,promises_.rm)(external_node_path_default().join(dir, SIDECAR), { force: true });
    await (0,promises_.rm)(`${dir}.complete`, { force: true });
    await (0,promises_.writeFile)(external_node_path_default().join(dir, SIDECAR), `${JSON.stringify({ tool: entry.tool, version: entry.version, identity: entry.identity, ...extra }, null, 2)}\n`, { flag: exclusive });
    await (0,promises_.writeFile)(`${dir}.complete`, '', { flag: exclusive });
    release(dir);
    return dir;
}
async function discardEntry(entry) {
    const dir = entryDir(entry);
    await (0,promises_.rm)(`${dir}.complete`, { force: true });
    await (0,promises_.rm)(dir, { recursive: true, force: true });
    for (const parent of entryParents(entry))
        await (0,promises_.rmdir)(parent).catch(() => undefined); // only if empty
    release(dir);
}
/**
 * Each folder (RUNNER_TOOL_CACHE, RUNNER_TEMP) exists or can be made, and takes a new
 * folder: checked before any download, so a read-only tool cache is not found after it.
 */
async function checkWritable(folders) {
    for (const [name, dir] of folders) {
        try {
            await makeFolder(dir);
            await (0,promises_.rm)(await (0,promises_.mkdtemp)(external_node_path_default().join(dir, '.tls-floor-write-check-')), { recursive: true, force: true });
        }
        catch (error) {
            const code = error.code ?? 'error';
            throw new Error(`${name}: cannot write to ${dir} (${code}); the action needs a writable ${name === 'RUNNER_TEMP' ? 'temporary folder' : 'tool cache'}. Nothing was downloaded.`);
        }
    }
}
/**
 * mkdir -p one level at a time: Node's recursive mkdir never returns where the parent
 * cannot hold folders and answers ENOENT (under /proc).
 */
async function makeFolder(dir) {
    const missing = [];
    let at = external_node_path_default().resolve(dir);
    while (!(0,external_node_fs_.existsSync)(at) && external_node_path_default().dirname(at) !== at) {
        missing.unshift(at);
        at = external_node_path_default().dirname(at);
    }
    for (const folder of missing)
        await (0,promises_.mkdir)(folder).catch((error) => {
            if (error.code !== 'EEXIST')
                throw error;
        });
}
function isComplete(entry) {
    return (0,external_node_fs_.existsSync)(`${entryDir(entry)}.complete`);
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/runtime/archive/format.ts



// The runtime archive's format: its manifest, its compression, and the refusal every reader raises.
const MANIFEST_NAME = 'tls-floor-runtime.json';
const ARCHIVE_FORMAT = 1;
const COMPRESSIONS = ['zstd', 'gzip'];
const ARCHIVE_EXTENSION = { zstd: '.tar.zst', gzip: '.tar.gz' };
const zstd = () => typeof external_node_zlib_.createZstdCompress === 'function'
    ? external_node_zlib_
    : undefined;
/** What create-archive writes with this Node.js. */
function archiveCompression() {
    return zstd() ? 'zstd' : 'gzip';
}
/**
 * zstd level 12 with a 128 MiB window and long-distance matching (docs/benchmarks.md has the
 * measurements: on the lean CPython 3.13 runtime, 19.9 MB in 17 s here, where level 19 makes
 * 17.7 MB in over 9 minutes and gzip 28.6 MB; every level decompresses as fast). A window of
 * 2^27 is the most a decoder accepts without being told more (ZSTD_d_windowLogMax's default),
 * and decompressor() accepts no more.
 */
const ZSTD_LEVEL = 12;
const ZSTD_WINDOW_LOG = 27;
function compressor(compression) {
    const z = zstd();
    if (compression === 'gzip' || !z)
        return external_node_zlib_.createGzip({ chunkSize: STREAM_CHUNK });
    const c = z.constants;
    return z.createZstdCompress({
        chunkSize: STREAM_CHUNK,
        params: {
            [c['ZSTD_c_compressionLevel']]: ZSTD_LEVEL,
            [c['ZSTD_c_windowLog']]: ZSTD_WINDOW_LOG,
            [c['ZSTD_c_enableLongDistanceMatching']]: 1,
        },
    });
}
/** The stream that decompresses an archive of this kind, or why this Node.js cannot. */
function decompressor(compression) {
    if (compression === 'gzip')
        return external_node_zlib_.createGunzip({ chunkSize: STREAM_CHUNK });
    const z = zstd();
    if (!z)
        throw new ArchiveRefused(`it is zstd-compressed, and this Node.js (${process.version}) has no zstd`);
    return z.createZstdDecompress({
        chunkSize: STREAM_CHUNK,
        params: { [z.constants['ZSTD_d_windowLogMax']]: ZSTD_WINDOW_LOG },
    });
}
const ZSTD_MAGIC = 0xfd2fb528;
/** zstd by its magic number (little-endian 0xFD2FB528); anything else is read as gzip. */
async function compressionOf(file) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        const head = Buffer.alloc(4);
        const { bytesRead } = await handle.read(head, 0, 4, 0);
        return bytesRead === 4 && head.readUInt32LE(0) === ZSTD_MAGIC ? 'zstd' : 'gzip';
    }
    finally {
        await handle.close();
    }
}
/** Read and inflate size while an archive is read, packed or extracted. */
const STREAM_CHUNK = 1 << 20;
/**
 * The given archive is refused: `why` says what is wrong with it. Installing from a runtime
 * index, sources/archive_install.ts refuses the index's archive for the same reason (the same `why`).
 */
class ArchiveRefused extends errors/* Refusal */.P_ {
    name = 'ArchiveRefused';
    why;
    constructor(...why) {
        super('archive', 'the archive is refused: ', ...why, '.');
        this.why = why;
    }
}

;// CONCATENATED MODULE: ./src/runtime/archive/pack.ts











/** Packs both tool-cache folders (markers excluded: the installer writes them after verifying). */
async function createArchive(plan, report, outDir) {
    const root = toolCacheRoot();
    const members = [plan.openssl.entry, plan.python.entry].map((e) => external_node_path_default().relative(root, entryDir(e)));
    const { jobs: _jobs, ...portablePlan } = plan;
    const manifest = {
        format: ARCHIVE_FORMAT,
        createdAt: new Date().toISOString(),
        plan: portablePlan,
        toolCacheRoot: root,
        members,
        report,
        unpacked: await treeSize(members.map((m) => external_node_path_default().join(root, m))),
    };
    await (0,promises_.mkdir)(outDir, { recursive: true });
    const staging = await (0,promises_.mkdtemp)(external_node_path_default().join((0,cancellation/* tempRoot */.fQ)(), 'tls-floor-archive-'));
    const base = `tls-floor-cpython${(0,versions/* threaded */.S6)(plan.python.source.version, plan.python.freethreaded)}-openssl${plan.openssl.source.version}-tls${plan.floor}-${plan.platform.os}-${plan.platform.arch}`;
    const compression = archiveCompression();
    const archive = external_node_path_default().join(outDir, `${base}${ARCHIVE_EXTENSION[compression]}`);
    // A cancelled run leaves no half-packed archive behind.
    const releaseStaging = (0,cancellation/* ownUntilDone */.r1)(staging);
    const releaseArchive = (0,cancellation/* ownUntilDone */.r1)(archive);
    try {
        await (0,promises_.writeFile)(external_node_path_default().join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
        // The manifest first, so an installer can read it without unpacking the rest; tar writes
        // the plain archive, Node.js compresses it (no zstd program needed).
        const plain = external_node_path_default().join(staging, 'runtime.tar');
        const tar = await (0,shared_process/* runProcess */.R3)('tar', ['-cf', plain, '-C', staging, MANIFEST_NAME, '-C', root, ...members], {
            timeoutMs: 15 * 60_000,
        });
        if (tar.code !== 0)
            throw new Error(`cannot create ${archive}: tar ${(0,shared_process/* howItEnded */.qQ)(tar)}: ${tarProblem(tar.stderr)}`);
        await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(plain, { highWaterMark: STREAM_CHUNK }), compressor(compression), (0,external_node_fs_.createWriteStream)(archive));
    }
    catch (error) {
        await (0,promises_.rm)(archive, { force: true });
        throw error;
    }
    finally {
        releaseArchive();
        releaseStaging();
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
    const sha256 = await (0,shared_sha256/* sha256File */.Q)(archive);
    const bytes = (await (0,promises_.stat)(archive)).size;
    const manifestPath = `${archive}.manifest.json`;
    await (0,promises_.writeFile)(manifestPath, `${JSON.stringify({ ...manifest, archive: { file: external_node_path_default().basename(archive), sha256, bytes, compression } }, null, 2)}\n`);
    await (0,promises_.writeFile)(`${archive}.sha256`, `${sha256}  ${external_node_path_default().basename(archive)}\n`);
    return { path: archive, sha256, bytes, compression, manifestPath };
}
/** What tar packs for these folders: every folder, file and link in them, and their files' bytes. */
async function treeSize(folders) {
    let members = 0;
    let bytes = 0;
    for (const folder of folders) {
        const names = ['', ...(await (0,promises_.readdir)(folder, { recursive: true }))];
        members += names.length;
        for (const name of names) {
            const info = await (0,promises_.lstat)(external_node_path_default().join(folder, name));
            if (info.isFile())
                bytes += info.size;
        }
    }
    return { members, bytes };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
;// CONCATENATED MODULE: ./src/runtime/model/plan.ts


/** Bumped whenever a change here changes the bytes of a build: old entries no longer match. */
const BUILD_FORMAT = 3; // 2: relocatable (runtime/relocate.ts), the system's OPENSSLDIR; 3: lean (runtime/lean.ts)
/**
 * OpenSSL without every protocol below the floor (DTLS too), static, position-independent
 * so it can live inside CPython's shared extension modules, libraries in lib/ (not lib64/,
 * where CPython would not look), and nothing built that no user needs.
 */
function opensslOptions(floor, opensslDir, fips = false) {
    return [
        ...(fips ? ['enable-fips'] : []),
        ...(opensslDir ? [`--openssldir=${opensslDir}`] : []),
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
    const optimize = args.optimize ?? 'none';
    const system = { os: platform.os, osRelease: platform.osRelease, arch: platform.arch };
    const sslOptions = opensslOptions(floor, args.opensslDir, Boolean(args.fips));
    const fips = args.fips ? { fips: { provider: args.fips.version, sha256: args.fips.sha256 ?? null } } : {};
    const opensslIdentity = {
        format: BUILD_FORMAT,
        openssl: args.openssl.version,
        sha256: args.openssl.sha256 ?? null,
        floor,
        options: sslOptions,
        ...fips,
        ...system,
    };
    const opensslVariant = `${platform.arch}-tls${floor}-${digest(opensslIdentity)}`;
    const pythonIdentity = {
        format: BUILD_FORMAT,
        python: args.python.version,
        sha256: args.python.sha256 ?? null,
        options: args.pythonOptions,
        // Named only when optimized, so the identities of every build before the input stay as they were.
        ...(optimize !== 'none' ? { optimize } : {}),
        openssl: opensslVariant,
        ...fips,
        // Only when set: every GIL build keeps the identity (and tool-cache folder) it had.
        ...(args.freethreaded ? { freethreaded: true } : {}),
        ...system,
    };
    // As setup-python's x64-freethreaded: the folder says which build it is.
    const arch = args.freethreaded ? `${platform.arch}-freethreaded` : platform.arch;
    return {
        floor,
        platform,
        jobs: args.jobs,
        openssl: {
            source: args.openssl,
            options: sslOptions,
            entry: {
                tool: 'tls-floor-openssl',
                version: args.openssl.version,
                variant: opensslVariant,
                identity: opensslIdentity,
            },
            ...(args.fips ? { fips: { provider: args.fips } } : {}),
        },
        python: {
            source: args.python,
            options: args.pythonOptions,
            optimize,
            ...(args.freethreaded ? { freethreaded: true } : {}),
            entry: {
                tool: 'tls-floor-python',
                version: args.python.version,
                variant: `${arch}-tls${floor}-openssl${args.openssl.version}-${digest(pythonIdentity)}`,
                identity: pythonIdentity,
            },
        },
    };
}
/** 'CPython 3.13.15', or 'CPython 3.13.15 (free-threaded)': as the report names the runtime. */
function cpythonName(plan) {
    return `CPython ${plan.python.source.version}${plan.python.freethreaded ? ' (free-threaded)' : ''}`;
}
function digest(value) {
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
/**
 * The source of one component: the URL (the user's template, else the table release's own
 * location, else the upstream template) and the checksum (the user's, else the table's). A
 * release in the table may list one file per format (.tar.xz, .tgz): a user's template takes
 * the checksum of the format its name ends with. A version with neither is refused unless
 * unverified sources are allowed.
 */
function sourceSpec(name, input, release, defaultTemplate, allowUnverified) {
    const url = input.urlTemplate
        ? input.urlTemplate.replaceAll('{version}', input.version)
        : (release?.files[0]?.url ?? defaultTemplate.replaceAll('{version}', input.version));
    // A mirror must serve the same bytes, so the table's checksum of that format holds for it too.
    const file = release && (input.urlTemplate ? sameFormat(release.files, url) : release.files[0]);
    if (input.sha256)
        return { name, version: input.version, url, sha256: input.sha256, checksumFrom: 'input' };
    if (file)
        return {
            name,
            version: input.version,
            url,
            sha256: file.sha256,
            checksumFrom: 'known-releases',
            checksumSources: file.sources,
        };
    if (!allowUnverified) {
        throw new errors/* Refusal */.P_(`${name}-checksum`, `no checksum for ${name === 'python' ? 'CPython' : 'OpenSSL'} ${input.version} in the action's table of releases; give `, (0,errors/* mention */.lE)(`${name}-checksum`), ` with the SHA-256 of ${url}, or set `, (0,errors/* mention */.lE)('unverified-sources'), ': true to build without one.');
    }
    return { name, version: input.version, url, checksumFrom: 'none' };
}
const FORMATS = [/\.tar\.xz$/, /\.(tgz|tar\.gz)$/];
/** The table's file in the same format as `url` (by its name's ending), else the default file. */
function sameFormat(files, url) {
    const format = FORMATS.find((f) => f.test(new URL(url).pathname));
    return (format && files.find((f) => format.test(f.url))) ?? files[0];
}

;// CONCATENATED MODULE: ./src/runtime/crossrun.ts






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
        `cpython${(0,versions/* threaded */.S6)(plan.python.source.version, plan.python.freethreaded)}`,
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
        core/* warning */.$e(`Cross-run cache restore failed (building instead): ${(0,errors/* describeError */.Uc)(error)}`);
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
        core/* warning */.$e(`Cross-run cache save failed (the runtime is still verified and usable): ${(0,errors/* describeError */.Uc)(error)}`);
        return false;
    }
}
/** Save only what this run built and proved, and only when the cache did not have it. */
function shouldSave(state) {
    return state.enabled && state.built && !state.restoredExact && state.verdict === 'pass';
}

;// CONCATENATED MODULE: ./src/runtime/fips.ts





/**
 * A FIPS runtime (fips: true). The FIPS provider is a loadable module (fips.so), never linked
 * in; the static libcrypto inside _ssl/_hashlib loads it. Its configuration must be made on the
 * machine where it is used (`openssl fipsinstall` runs its self-tests there and writes
 * fipsmodule.cnf; README-FIPS: the file is not to be copied), so every install of the runtime
 * (a build, a cache restore, an archive, a prebuilt runtime) runs it again, under that
 * runner's tool-cache root. Nothing outside the runtime's own folders is written: the system's
 * OPENSSLDIR (relocate.ts) is only read.
 *
 * Inside the OpenSSL entry:
 *   bin/openssl                  the build's own openssl, for fipsinstall and the provider listing
 *   lib/ossl-modules/fips.so     the provider
 *   ssl/fipsmodule.cnf           fipsinstall's output (this machine's)
 *   ssl/openssl-fips.cnf         the runtime's OpenSSL configuration, absolute paths of this install
 *   ssl/fipsinstall.json         when and where fipsinstall ran, and what it said
 * Inside the CPython entry, site-packages/00-tls-floor-fips.pth sets OPENSSL_CONF to that
 * configuration (unless the process already has one) before any module loads OpenSSL.
 */
const FIPS_FILES = {
    openssl: 'bin/openssl',
    module: 'lib/ossl-modules/fips.so',
    moduleConf: 'ssl/fipsmodule.cnf',
    conf: 'ssl/openssl-fips.cnf',
    record: 'ssl/fipsinstall.json',
};
const PTH = '00-tls-floor-fips.pth';
/**
 * The groups every FIPS provider since 3.0 serves: the NIST curves and the RFC 7919 groups.
 * OpenSSL 3.5's default key share, X25519MLKEM768, is not among a 3.1.2 provider's algorithms;
 * left to the default, every TLS 1.3 handshake of such a runtime fails.
 */
const FIPS_GROUPS = 'secp256r1:secp384r1:secp521r1:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192';
/**
 * The runtime's OpenSSL configuration: the fips, base and default providers, fips=yes for every
 * fetch that does not ask otherwise (so the default provider serves only an explicit non-FIPS
 * request such as hashlib.md5(usedforsecurity=False)), and groups the provider can serve.
 * fipsmodule.cnf is included last: its [fips_sect] joins the one here (OpenSSL merges sections
 * of the same name), which names the module by its absolute path.
 */
function fipsConfig(opensslPrefix) {
    const at = (file) => external_node_path_default().join(opensslPrefix, file);
    return `# Written by tls-floor when this runtime was installed here; written again at every install.
# FIPS mode: the FIPS provider serves every algorithm fetched without an explicit property query.
config_diagnostics = 1
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect
ssl_conf = ssl_sect

[provider_sect]
fips = fips_sect
base = base_sect
default = default_sect

[fips_sect]
module = ${at(FIPS_FILES.module)}

[base_sect]
activate = 1

[default_sect]
activate = 1

[algorithm_sect]
default_properties = fips=yes

[ssl_sect]
system_default = system_default_sect

[system_default_sect]
Groups = ${FIPS_GROUPS}

.include ${at(FIPS_FILES.moduleConf)}
`;
}
/** The line of the .pth file: OPENSSL_CONF for this process and its children, unless one is set. */
function fipsPthLine(opensslPrefix) {
    return `import os; os.environ.setdefault("OPENSSL_CONF", ${JSON.stringify(external_node_path_default().join(opensslPrefix, FIPS_FILES.conf))})\n`;
}
/** CPython's site-packages folder under `prefix`. */
function sitePackages(prefix) {
    const lib = external_node_path_default().join(prefix, 'lib');
    const stdlib = (0,external_node_fs_.readdirSync)(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
    if (!stdlib)
        throw new Error(`no lib/pythonX.Y in ${prefix}`);
    return external_node_path_default().join(lib, stdlib, 'site-packages');
}
/** Written beside and renamed over: never half-written. */
async function writeWhole(file, text) {
    await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
    const temp = `${file}.tls-floor-${process.pid}`;
    await (0,promises_.writeFile)(temp, text);
    await (0,promises_.rename)(temp, file);
}
/**
 * Installs the FIPS module of the OpenSSL entry at `opensslPrefix` on this machine: runs its
 * openssl's fipsinstall (the provider's self-tests; no install status written, so they run
 * again at every load), writes the runtime's configuration with this install's paths, and,
 * with a CPython prefix, the .pth that makes the interpreter use it.
 */
async function installFips(opensslPrefix, pythonPrefix) {
    const at = (file) => external_node_path_default().join(opensslPrefix, file);
    for (const file of [FIPS_FILES.openssl, FIPS_FILES.module]) {
        if (!(0,external_node_fs_.existsSync)(at(file)))
            throw new Error(`the FIPS runtime lacks ${file} in ${opensslPrefix}`);
    }
    const out = `${at(FIPS_FILES.moduleConf)}.tls-floor-${process.pid}`;
    await (0,promises_.mkdir)(external_node_path_default().dirname(out), { recursive: true });
    // No configuration of the system's (its OPENSSLDIR) is read: an empty one.
    const run = await (0,shared_process/* runProcess */.R3)(at(FIPS_FILES.openssl), [
        'fipsinstall',
        '-module',
        at(FIPS_FILES.module),
        '-out',
        out,
        '-provider_name',
        'fips',
        '-section_name',
        'fips_sect',
        '-self_test_onload',
    ], { timeoutMs: 120_000, env: { ...withoutOpensslVariables(), OPENSSL_CONF: '/dev/null' } });
    const said = (0,shared_process/* lastLine */.fM)(run.stderr) ?? (0,shared_process/* lastLine */.fM)(run.stdout) ?? '';
    if (run.code !== 0 || !/INSTALL PASSED/.test(`${run.stdout}\n${run.stderr}`)) {
        throw new Error(`openssl fipsinstall failed in ${opensslPrefix} (exit ${run.code}): ${(0,errors/* clip */.$Q)(said, 200)}`);
    }
    await (0,promises_.rename)(out, at(FIPS_FILES.moduleConf));
    await writeWhole(at(FIPS_FILES.conf), fipsConfig(opensslPrefix));
    const record = {
        installedAt: new Date().toISOString(),
        opensslPrefix,
        config: at(FIPS_FILES.conf),
        said,
    };
    await writeWhole(at(FIPS_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
    if (pythonPrefix)
        await writeWhole(external_node_path_default().join(sitePackages(pythonPrefix), PTH), fipsPthLine(opensslPrefix));
    return record;
}
/** The record of the last fipsinstall, when it ran for this very install (these paths); else undefined. */
function currentFipsInstall(opensslPrefix, pythonPrefix) {
    try {
        const record = JSON.parse((0,external_node_fs_.readFileSync)(external_node_path_default().join(opensslPrefix, FIPS_FILES.record), 'utf8'));
        const pth = (0,external_node_fs_.readFileSync)(external_node_path_default().join(sitePackages(pythonPrefix), PTH), 'utf8');
        const conf = (0,external_node_fs_.readFileSync)(external_node_path_default().join(opensslPrefix, FIPS_FILES.conf), 'utf8');
        const current = record.opensslPrefix === opensslPrefix &&
            pth === fipsPthLine(opensslPrefix) &&
            conf === fipsConfig(opensslPrefix);
        return current && (0,external_node_fs_.existsSync)(external_node_path_default().join(opensslPrefix, FIPS_FILES.moduleConf)) ? record : undefined;
    }
    catch {
        return undefined;
    }
}
/** The process environment without OpenSSL's own variables (a runner's may point anywhere). */
function withoutOpensslVariables() {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !['OPENSSL_CONF', 'OPENSSL_MODULES', 'OPENSSL_CONF_INCLUDE'].includes(k)));
}
/**
 * The providers the runtime's configuration loads, as its own openssl (the same libcrypto
 * version, module and configuration as the interpreter's) lists them. A provider is `active`
 * only after its initialisation, which for the FIPS provider includes its self-tests.
 */
async function listProviders(opensslPrefix) {
    const run = await (0,shared_process/* runProcess */.R3)(external_node_path_default().join(opensslPrefix, FIPS_FILES.openssl), ['list', '-providers', '-verbose'], {
        timeoutMs: 60_000,
        env: { ...withoutOpensslVariables(), OPENSSL_CONF: external_node_path_default().join(opensslPrefix, FIPS_FILES.conf) },
    });
    if (run.code !== 0)
        throw new Error(`openssl list -providers failed (exit ${run.code}): ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? ''}`);
    return parseProviders(run.stdout);
}
function parseProviders(text) {
    const providers = [];
    const keys = {
        name: 'name',
        version: 'version',
        'build info': 'buildInfo',
        status: 'status',
    };
    for (const line of text.split('\n')) {
        const id = /^ {2}(\S+)\s*$/.exec(line)?.[1];
        if (id) {
            providers.push({ id });
            continue;
        }
        const field = /^ {4}([a-z ]+): (.*)$/.exec(line);
        const key = field && keys[field[1]];
        const current = providers[providers.length - 1];
        if (key && current)
            current[key] = field[2].trim();
    }
    return providers;
}
/**
 * hashlib without its built-in hashes logs a traceback at every import for each hash OpenSSL
 * does not serve to it (blake2b and blake2s, which hashlib never takes from OpenSSL). The
 * installed hashlib.py instead gets a constructor that raises ValueError for them: the same
 * error as any hash the FIPS provider refuses. Compiled again, as relocate.ts does.
 */
async function gateHashlib(python, prefix) {
    const lib = external_node_path_default().join(prefix, 'lib');
    const stdlib = (0,external_node_fs_.readdirSync)(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
    const file = external_node_path_default().join(lib, stdlib ?? '', 'hashlib.py');
    const text = await (0,promises_.readFile)(file, 'utf8');
    const logged = "        import logging\n        logging.exception('code for hash %s was not found.', __func_name)\n";
    if (!text.includes(logged))
        throw new Error(`${file} does not log missing hashes as this build expects`);
    const gated = '        # tls-floor (fips): a hash without an implementation here raises, as the FIPS provider does.\n' +
        "        def __unsupported(*args, __name=__func_name, **kwargs):\n            raise ValueError('unsupported hash type ' + __name + ' (FIPS runtime: no built-in hashes)')\n" +
        '        globals()[__func_name] = __unsupported\n';
    await (0,promises_.writeFile)(file, text.replace(logged, gated));
    const compile = 'import compileall, sys\nassert compileall.compile_file(sys.argv[1], force=True, quiet=1, optimize=[0, 1, 2])';
    const run = await (0,shared_process/* runProcess */.R3)(python, ['-E', '-s', '-c', compile, file], { timeoutMs: 60_000 });
    if (run.code !== 0)
        throw new Error(`cannot compile ${file}: ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? ''}`);
}

;// CONCATENATED MODULE: ./src/runtime/lean.ts




async function leanPython(prefix, os) {
    const lib = external_node_path_default().join(prefix, 'lib');
    const stdlibName = (await (0,promises_.readdir)(lib)).find((d) => /^python\d+\.\d+t?$/.test(d));
    if (!stdlibName)
        throw new Error(`no lib/pythonX.Y in ${prefix}`);
    const stdlib = external_node_path_default().join(lib, stdlibName);
    const files = await filesBelow(prefix);
    const parts = [];
    const optimized = files.filter((f) => /\.opt-[12]\.pyc$/.test(f.name));
    for (const f of optimized)
        await (0,promises_.rm)(f.name);
    parts.push(part('-O/-OO bytecode (*.opt-1.pyc, *.opt-2.pyc)', optimized, 0));
    const binaries = [];
    for (const f of files)
        if (!f.name.endsWith('.pyc') && (await isElfOrMachO(f.name)))
            binaries.push(f);
    if (binaries.length) {
        // GNU strip: --strip-unneeded keeps what the dynamic linker needs; Apple's: -x (local symbols).
        const flags = os === 'darwin' ? ['-x'] : ['--strip-unneeded'];
        const run = await (0,shared_process/* runProcess */.R3)('strip', [...flags, ...binaries.map((b) => b.name)], { timeoutMs: 5 * 60_000 });
        if (run.code !== 0)
            throw new Error(`strip failed: ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? `exit ${run.code}`}`);
    }
    let stripped = 0;
    for (const b of binaries)
        stripped += (await (0,promises_.stat)(b.name)).size;
    parts.push(part('symbol tables of the interpreter and extension modules (stripped)', binaries, stripped));
    const config = (await (0,promises_.readdir)(stdlib)).find((d) => d.startsWith('config-'));
    const archive = files.find((f) => f.name === external_node_path_default().join(lib, `lib${stdlibName}.a`));
    const kept = config && external_node_path_default().join(stdlib, config, `lib${stdlibName}.a`);
    if (archive && kept && (0,external_node_fs_.existsSync)(kept) && (await sameBytes(archive.name, kept))) {
        await (0,promises_.rm)(archive.name);
        await (0,promises_.symlink)(external_node_path_default().relative(lib, kept), archive.name);
        parts.push(part(`lib/lib${stdlibName}.a (a link to ${external_node_path_default().relative(prefix, kept)})`, [archive], 0));
    }
    if (os !== 'darwin') {
        const archives = [];
        // After the link above: lib/'s copy is a link now, stripped through its target.
        for (const f of files.filter((f) => f.name.endsWith('.a')))
            if ((await isPlainFile(f.name)) && (await head(f.name, 8)).toString('latin1') === '!<arch>\n')
                archives.push(f);
        const leaner = await Promise.all(archives.map((a) => stripStaticArchive(a.name)));
        if (archives.length)
            parts.push(part('debug info and LTO bytecode of the static libraries', archives, sum(leaner)));
    }
    return parts;
}
/**
 * A static library's debug info, and the GIMPLE bytecode of a PGO + LTO build's fat objects
 * (`-ffat-lto-objects`: each object holds machine code and the bytecode): 90 MB of a 3.11
 * libpython.a against 10 MB without. The machine code stays, so an embedding program links
 * it as before (without LTO into libpython; it never could from another compiler). Stripped
 * into a copy that replaces the library only where strip succeeds: a library strip cannot
 * read (clang's bitcode objects) stays as it is. Bytes after.
 */
async function stripStaticArchive(file) {
    const copy = `${file}.lean`;
    const run = await (0,shared_process/* runProcess */.R3)('strip', ['--strip-debug', '--remove-section=.gnu.lto_*', '--remove-section=.gnu.debuglto_*', '-o', copy, file], { timeoutMs: 5 * 60_000 });
    if (run.code === 0)
        await (0,promises_.rename)(copy, file);
    else
        await (0,promises_.rm)(copy, { force: true });
    return (await (0,promises_.stat)(file)).size;
}
const sum = (sizes) => sizes.reduce((n, s) => n + s, 0);
const isPlainFile = (file) => (0,promises_.lstat)(file).then((info) => info.isFile(), () => false);
/** The first bytes of a file (fewer where it is shorter). */
async function head(file, bytes) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead);
    }
    finally {
        await handle.close();
    }
}
/** One line per part for the build log: what it weighed and weighs. */
function leanLines(parts) {
    const mib = (n) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
    return parts.map((p) => `${p.part}: ${p.files} files, ${mib(p.before)} -> ${mib(p.after)}`);
}
function part(label, files, after) {
    return { part: label, files: files.length, before: sum(files.map((f) => f.size)), after };
}
async function filesBelow(folder) {
    const found = [];
    for (const name of await (0,promises_.readdir)(folder, { recursive: true })) {
        const file = external_node_path_default().join(folder, name);
        const info = await (0,promises_.lstat)(file);
        if (info.isFile())
            found.push({ name: file, size: info.size });
    }
    return found;
}
/** Executables and shared objects (ELF types 2 and 3, Mach-O 64-bit), not objects, archives or scripts. */
async function isElfOrMachO(file) {
    const start = await head(file, 18);
    if (start.length < 18)
        return false;
    if (start.readUInt32BE(0) === 0x7f454c46)
        return start[16] === 2 || start[16] === 3;
    return start.readUInt32LE(0) === 0xfeedfacf && start.readUInt32LE(12) !== 1; // 1: an object file
}
async function sameBytes(a, b) {
    const [x, y] = await Promise.all([(0,promises_.readFile)(a), (0,promises_.readFile)(b)]);
    return x.equals(y);
}

// EXTERNAL MODULE: ./src/runtime/model/compat.ts
var compat = __webpack_require__(1010);
;// CONCATENATED MODULE: ./src/runtime/relocate.ts





/**
 * A relocatable runtime works from whatever folder it is unpacked into, as python-build-
 * standalone's do: a tool cache is /opt/hostedtoolcache on hosted Linux, _work/_tool on a
 * self-hosted runner and /__t in a container job. What would pin it to its build folder:
 *   - the interpreter's prefix: a static (non --enable-shared) CPython finds it from its own
 *     executable (getpath searches upward for lib/pythonX.Y/os.py); nothing to do;
 *   - the shebangs of bin/ scripts (pip, pydoc, ...): rewritten to a /bin/sh trampoline
 *     that runs the python beside the script;
 *   - _sysconfigdata_*.py (compiler and linker paths for extension builds): rewritten at
 *     import time from the build's tool-cache root to the one the runtime now sits in;
 *   - pkg-config files: prefix relative to the .pc file (${pcfiledir});
 *   - OPENSSLDIR, compiled into libcrypto inside _ssl: the system's own (see systemOpensslDir).
 */
/** First format whose archives install under any tool-cache root. */
const RELOCATABLE_FORMAT = 2;
function isRelocatable(plan) {
    const format = plan.python.entry.identity['format'];
    return typeof format === 'number' && format >= RELOCATABLE_FORMAT;
}
/** Debian/Ubuntu, RHEL/Fedora, then Alpine, openSUSE and macOS. */
const OPENSSLDIR_CANDIDATES = ['/usr/lib/ssl', '/etc/pki/tls', '/etc/ssl', '/private/etc/ssl'];
/**
 * The OPENSSLDIR the hardened OpenSSL is built with: the system OpenSSL's own (what
 * `openssl version -d` says), so that cert.pem and certs/ are the OS's trust store, kept
 * current by the OS, wherever the runtime is unpacked. Without a system openssl, the first
 * folder that holds a CA bundle. Never a folder inside the tool cache: that path is
 * compiled into libcrypto and would not move with the runtime.
 */
async function systemOpensslDir() {
    const root = process.env['RUNNER_TOOL_CACHE'];
    // Asked for by every plan (a prebuilt choice plans several): one `openssl` start per run.
    const known = opensslDirs.get(root);
    if (known)
        return known;
    const dir = await findSystemOpensslDir(root);
    opensslDirs.set(root, dir);
    return dir;
}
const opensslDirs = new Map();
async function findSystemOpensslDir(root) {
    // The OS's own binary first: an `openssl` earlier on PATH may be a conda or Homebrew one.
    for (const openssl of ['/usr/bin/openssl', 'openssl']) {
        // Not there (or failing): the next, then look for the trust store instead.
        const run = await (0,shared_process/* runProcess */.R3)(openssl, ['version', '-d'], { timeoutMs: 10_000 }).catch(() => undefined);
        const dir = run?.code === 0 ? /^OPENSSLDIR: "([^"]+)"/m.exec(run.stdout)?.[1] : undefined;
        if (dir && external_node_path_default().isAbsolute(dir) && (0,external_node_fs_.existsSync)(dir) && !(root && dir.startsWith(root)))
            return dir;
    }
    const withBundle = OPENSSLDIR_CANDIDATES.find((d) => (0,external_node_fs_.existsSync)(external_node_path_default().join(d, 'cert.pem')) || (0,external_node_fs_.existsSync)(external_node_path_default().join(d, 'certs')));
    return withBundle ?? '/etc/ssl';
}
/** The first lines of a script that runs `interpreter` ('python3.11') from the script's own folder. */
function trampoline(interpreter, args) {
    // Valid sh and valid Python: sh runs the exec line; Python sees a string literal.
    return `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")/${interpreter}"${args} "$0" "$@"\n' '''\n`;
}
/**
 * Why bin/pip3 would not run pip from this prefix, or undefined: it must start with the
 * trampoline (it runs the interpreter beside it, wherever the prefix now is), that
 * interpreter must be there, and the pip it imports must lie inside the prefix.
 */
function pipProblem(prefix, pipOrigin) {
    const script = external_node_path_default().join(prefix, 'bin', 'pip3');
    if (!(0,external_node_fs_.existsSync)(script))
        return undefined;
    const text = (0,external_node_fs_.readFileSync)(script, 'utf8').slice(0, 400);
    const interpreter = /\/(python[\w.]*)" "\$0"/.exec(text)?.[1];
    if (!interpreter || !text.startsWith(trampoline(interpreter, '')))
        return `bin/pip3 does not start with the relocatable trampoline: ${(0,errors/* clip */.$Q)(JSON.stringify(text.split('\n')[0]), 80)}`;
    if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(prefix, 'bin', interpreter)))
        return `bin/pip3 runs bin/${interpreter}, which is not there`;
    const real = (p) => ((0,external_node_fs_.existsSync)(p) ? (0,external_node_fs_.realpathSync)(p) : p);
    if (!pipOrigin || !real(pipOrigin).startsWith(`${real(prefix)}/`))
        return `bin/pip3 would not import pip from ${prefix} (it finds ${pipOrigin ?? 'no pip'})`;
    return undefined;
}
/** Rewrites a script's absolute interpreter line; undefined when it has none of ours. */
function relocatedScript(text, bin) {
    const esc = bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // `#!/prefix/bin/python3.11 [args]`, or pip's own long-path form (a shebang over 127 bytes).
    const direct = new RegExp(`^#!${esc}/(python[\\w.]*)([ \\t][^\\n]*)?\\n`).exec(text);
    if (direct)
        return trampoline(direct[1], direct[2] ? ` ${direct[2].trim()}` : '') + text.slice(direct[0].length);
    const long = new RegExp(`^#!/bin/sh\\n'''exec' ['"]?${esc}/(python[\\w.]*)['"]? "\\$0" "\\$@"\\n' '''\\n`).exec(text);
    if (long)
        return trampoline(long[1], '') + text.slice(long[0].length);
    return undefined;
}
/** Every script in bin/ that names the interpreter by its absolute path: a trampoline. */
async function relocateScripts(prefix) {
    const bin = external_node_path_default().join(prefix, 'bin');
    const changed = [];
    for (const name of await (0,promises_.readdir)(bin)) {
        const file = external_node_path_default().join(bin, name);
        const info = await (0,promises_.lstat)(file);
        if (!info.isFile() || info.size > 1024 * 1024)
            continue;
        const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
        const rewritten = text.startsWith('#!') ? relocatedScript(text, bin) : undefined;
        if (rewritten === undefined)
            continue;
        await (0,promises_.writeFile)(file, rewritten, { mode: info.mode });
        changed.push(name);
    }
    return changed;
}
/**
 * Appended to _sysconfigdata_*.py: at import, every path under the build's tool-cache root
 * is moved to the root this runtime now sits in (found from sys.base_prefix and the
 * runtime's folder below the root), so LIBDIR, INCLUDEPY, the OpenSSL include and library
 * flags and the rest point at this install.
 */
function sysconfigHook(builtRoot, member) {
    return `
# tls-floor: the runtime is relocatable. Paths recorded under the tool cache it was built in
# are rewritten to the tool cache it runs from.
def _tls_floor_relocate(values, built=${JSON.stringify(builtRoot)}, member=${JSON.stringify(member)}):
    import os, sys
    prefix = os.path.normpath(sys.base_prefix)
    tail = os.sep + os.path.normpath(member)
    if prefix.endswith(tail):
        old, new = built, prefix[: -len(tail)]
    else:
        old, new = os.path.join(built, member), prefix
    if old == new:
        return values
    return {k: (v.replace(old, new) if isinstance(v, str) else v) for k, v in values.items()}
build_time_vars = _tls_floor_relocate(build_time_vars)
del _tls_floor_relocate
`;
}
/** Adds the hook to each _sysconfigdata file and compiles it again (its .pyc is stale; no -O ones: lean.ts). */
async function relocateSysconfig(python, prefix, builtRoot) {
    const lib = external_node_path_default().join(prefix, 'lib');
    // lib/python3.13t for a free-threaded build (its _sysconfigdata_t_*.py inside).
    const stdlib = (0,external_node_fs_.readdirSync)(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
    if (!stdlib)
        throw new Error(`no lib/pythonX.Y or lib/pythonX.Yt in ${prefix}`);
    const files = (0,external_node_fs_.readdirSync)(external_node_path_default().join(lib, stdlib))
        .filter((f) => /^_sysconfigdata_.*\.py$/.test(f))
        .map((f) => external_node_path_default().join(lib, stdlib, f));
    const member = external_node_path_default().relative(builtRoot, prefix);
    for (const file of files) {
        const text = await (0,promises_.readFile)(file, 'utf8');
        if (!text.includes('_tls_floor_relocate'))
            await (0,promises_.writeFile)(file, text + sysconfigHook(builtRoot, member));
    }
    const compile = `import compileall, sys\nfor f in sys.argv[1:]:\n    assert compileall.compile_file(f, force=True, quiet=1, optimize=[0])`;
    const run = await (0,shared_process/* runProcess */.R3)(python, ['-E', '-s', '-c', compile, ...files], { timeoutMs: 60_000 });
    if (run.code !== 0)
        throw new Error(`cannot compile ${files.join(', ')}: ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? ''}`);
    return files;
}
/** pkg-config files: `prefix=${pcfiledir}/../..` instead of the absolute build prefix. */
async function relocatePkgConfig(prefix) {
    const dir = external_node_path_default().join(prefix, 'lib', 'pkgconfig');
    if (!(0,external_node_fs_.existsSync)(dir))
        return [];
    const changed = [];
    for (const name of (await (0,promises_.readdir)(dir)).filter((n) => n.endsWith('.pc'))) {
        const file = external_node_path_default().join(dir, name);
        if ((await (0,promises_.lstat)(file)).isSymbolicLink())
            continue;
        const text = await (0,promises_.readFile)(file, 'utf8');
        // pkg-config's own variable, written literally into the .pc file.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: not a JavaScript template
        const rewritten = text.replaceAll(prefix, '${pcfiledir}/../..');
        if (rewritten !== text) {
            await (0,promises_.writeFile)(file, rewritten);
            changed.push(name);
        }
    }
    return changed;
}
/** Run after `make install`: the CPython prefix no longer depends on where it sits. */
async function makePythonRelocatable(python, prefix) {
    const builtRoot = external_node_path_default().dirname(external_node_path_default().dirname(external_node_path_default().dirname(prefix)));
    await relocateScripts(prefix);
    await relocateSysconfig(python, prefix, builtRoot);
    await relocatePkgConfig(prefix);
}
/**
 * After an install at a new place: the interpreter, its paths and a script all name the new
 * prefix and nothing of the folder it was built in. Returns the problems, none when it moved.
 */
async function relocationProblems(python, prefix, builtRoot) {
    // One interpreter start answers it all, where pip imports from included: running bin/pip3
    // (importing all of pip) cost a second of every prebuilt install.
    const check = `
import importlib.util, json, sys, sysconfig
paths = sysconfig.get_paths()
keys = ("LIBDIR", "INCLUDEPY", "BINDIR", "LIBPL", "CONFINCLUDEPY")
pip = importlib.util.find_spec("pip")
print(json.dumps({"prefix": sys.prefix, "paths": paths, "vars": {k: sysconfig.get_config_var(k) for k in keys}, "pip": pip and pip.origin}))
`;
    const run = await (0,shared_process/* runProcess */.R3)(python, ['-E', '-s', '-c', check], { timeoutMs: 60_000 });
    if (run.code !== 0)
        return [`${python} cannot report its paths: ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? ''}`];
    let seen;
    try {
        seen = JSON.parse(run.stdout);
    }
    catch {
        return [`${python} could not run the relocation check: it printed ${(0,errors/* clip */.$Q)(JSON.stringify(run.stdout.trim()), 80)}`];
    }
    if (typeof seen?.prefix !== 'string' || typeof seen.paths !== 'object') {
        return [`${python} could not run the relocation check: it reported no paths`];
    }
    const problems = [];
    const real = (p) => ((0,external_node_fs_.existsSync)(p) ? (0,external_node_fs_.realpathSync)(p) : p);
    if (real(seen.prefix) !== real(prefix))
        problems.push(`sys.prefix is ${seen.prefix}, not ${prefix}`);
    for (const [name, value] of [...Object.entries(seen.paths), ...Object.entries(seen.vars)]) {
        if (typeof value !== 'string')
            continue;
        if (builtRoot && !prefix.startsWith(`${builtRoot}/`) && value.startsWith(`${builtRoot}/`))
            problems.push(`${name} is ${value}, in the folder it was built in`);
    }
    const pip = pipProblem(prefix, seen.pip ?? undefined);
    if (pip)
        problems.push(pip);
    return problems;
}

;// CONCATENATED MODULE: ./src/runtime/steps.ts







/** Runs `work` inside a log group whose closing line gives the elapsed time. */
async function timedGroup(title, work) {
    const started = performance.now();
    core/* startGroup */.Oh(title);
    (0,cancellation/* enterStage */.dI)(title);
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
/** A build command's output (to its log file) past this is a flood: it is stopped. */
const BUILD_LOG_LIMIT = 1024 * 1024 * 1024;
/**
 * Runs one build command (no shell) in a process group of its own, so that a cancellation
 * stops the compilers under make too. Its output goes to a log file, since a compiler's
 * thousands of lines bury the story; the log gets a heartbeat with the latest line, and on
 * failure the last lines and the path of the full log.
 */
async function runCommand(command, args, options) {
    const started = performance.now();
    const log = (0,external_node_fs_.createWriteStream)(options.logFile, { flags: 'a' });
    log.write(`\n$ ${command} ${args.join(' ')}\n`);
    core/* info */.pq(`$ ${command} ${args.join(' ')}`);
    let lastLine = '';
    const onOutput = (chunk) => {
        log.write(chunk);
        const lines = chunk.toString('utf8').trimEnd().split('\n');
        lastLine = lines[lines.length - 1] ?? lastLine;
    };
    const heartbeat = setInterval(() => core/* info */.pq(`  ... ${seconds(started)} elapsed; latest: ${(0,errors/* clip */.$Q)(lastLine, 160)}`), options.heartbeatMs ?? 30_000);
    try {
        const process = (0,shared_process/* startProcess */.kp)(command, args, {
            cwd: options.cwd,
            ...(options.env ? { env: options.env } : {}),
            onOutput,
            outputLimit: BUILD_LOG_LIMIT,
        });
        process.send('');
        const result = await process.done;
        await new Promise((resolve) => log.end(resolve));
        if (result.code !== 0) {
            // The compiler's words are foreign text: each line on its own, clipped, no workflow command.
            const tail = (await logTail(options.logFile))
                .trimEnd()
                .split('\n')
                .slice(-40)
                .map((line) => (0,errors/* clip */.$Q)(line, 300))
                .join('\n');
            core/* info */.pq(`--- last lines of ${options.logFile} ---\n${tail}`);
            const how = result.code === null
                ? `was ${(0,shared_process/* howItEnded */.qQ)(result).replace(/^killed/, 'stopped')}`
                : `failed with ${(0,shared_process/* howItEnded */.qQ)(result)}`;
            throw new Error(`'${command} ${args.slice(0, 3).join(' ')}' ${how} after ${seconds(started)}; full log: ${options.logFile}`);
        }
    }
    finally {
        clearInterval(heartbeat);
        if (!log.closed)
            log.end();
    }
}
/** The last 64 KiB of a build's log (it may hold up to BUILD_LOG_LIMIT). */
async function logTail(file) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        const { size } = await handle.stat();
        const length = Math.min(size, 64 * 1024);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        return buffer.toString('utf8');
    }
    finally {
        await handle.close();
    }
}
/** Times the parts of one step, for one line in the log: "download 0.1 s, checksum 0.1 s". */
function stopwatch() {
    const parts = [];
    return {
        async time(label, work) {
            const started = performance.now();
            try {
                return await work();
            }
            finally {
                parts.push(`${label} ${seconds(started)}`);
            }
        },
        line: () => parts.join(', '),
    };
}
/** Runs a build step in the source folder, its output to the log. */
function inSource(ctx) {
    return (command, args) => runCommand(command, args, { cwd: ctx.srcDir, logFile: ctx.logFile, env: ctx.env });
}
/** The unpacked source must be a source tree of `project`: `marker` (./configure, ./config) in its top folder. */
function checkSourceTree(ctx, source, project, marker) {
    if ((0,external_node_fs_.existsSync)(external_node_path_default().join(ctx.srcDir, marker)))
        return;
    const a = /^[AEIOU]/.test(project) ? 'an' : 'a';
    throw new errors/* Unusable */.kO(`${source.name}-source`, `${source.url} is not ${a} ${project} source tree (no ./${marker} in its top folder); give the URL of ${a} ${project} release tarball.`);
}

;// CONCATENATED MODULE: ./src/runtime/cpython.ts










/**
 * Configure options that depend only on the CPython version, OS, threading and optimization
 * (part of the build identity). pgo-lto keeps the test extension modules (_testcapi & co.):
 * PGO's profile task runs the test suite, whose C-API tests skip without them; they are left
 * out of the install (installPython).
 */
function pythonOptions(version, os, freethreaded = false, optimize = 'none', fips = false) {
    return [
        // fips: no built-in (HACL*) md5, sha1, sha2, sha3, blake2: every hash is OpenSSL's, in FIPS mode.
        ...(fips ? ['--without-builtin-hashlib-hashes'] : []),
        '--with-ensurepip=install', // pip, as users expect of a setup-python-like runtime
        ...(freethreaded ? ['--disable-gil'] : []), // free-threaded (PEP 703): python3.13t, lib/python3.13t
        ...(optimize === 'pgo-lto' ? ['--enable-optimizations', '--with-lto'] : []),
        // _testcapi & co: no user needs them
        ...(optimize === 'none' && (0,compat/* atLeast */.jZ)(version, '3.10.0') ? ['--disable-test-modules'] : []),
        // The release flags without -g: debug info costs compile time and makes the install
        // (and every archive of it) several times larger; nobody debugs CI's interpreter in gdb.
        'OPT=-DNDEBUG -fwrapv -O3 -Wall',
        // 3.11+ on GNU ld: link libssl.a/libcrypto.a by name (-l:) and keep their symbols out of
        // _ssl's exports (--exclude-libs), so no other module can bind to our copy or we to theirs.
        ...(os === 'linux' && (0,compat/* atLeast */.jZ)(version, '3.11.0') ? ['PY_UNSUPPORTED_OPENSSL_BUILD=static'] : []),
    ];
}
/**
 * Configures CPython with its final prefix (it bakes it in) against the hardened OpenSSL,
 * builds with every job allowed, installs, adds the `python` and `pip` names, leaves out what
 * no use of the runtime needs (lean.ts), and makes the install relocatable (relocate.ts).
 */
async function buildPython(plan, prefix, opensslPrefix, ctx) {
    const run = inSource(ctx);
    checkSourceTree(ctx, plan.python.source, 'CPython', 'configure');
    if (plan.openssl?.fips)
        await (0,promises_.writeFile)(external_node_path_default().join(ctx.srcDir, 'Modules', 'Setup.local'), fipsSetupLocal(opensslPrefix));
    await run('./configure', [`--prefix=${prefix}`, `--with-openssl=${opensslPrefix}`, ...plan.python.options]);
    const explained = (step) => step.catch(async (error) => {
        const why = sslImportFailure(await (0,promises_.readFile)(ctx.logFile, 'utf8').catch(() => ''));
        throw why && error instanceof Error ? new Error(`${why}; ${error.message}`) : error;
    });
    await explained(run('make', [`-j${plan.jobs}`]));
    await explained(installPython(plan, prefix, ctx));
    const bin = external_node_path_default().join(prefix, 'bin');
    for (const [name, target] of [
        ['python', 'python3'],
        ['pip', 'pip3'],
    ]) {
        if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(bin, name)) && (0,external_node_fs_.existsSync)(external_node_path_default().join(bin, target)))
            await (0,promises_.symlink)(target, external_node_path_default().join(bin, name));
    }
    if (plan.openssl?.fips)
        await gateHashlib(pythonExecutable(prefix), prefix);
    // What no use of the runtime needs (lean.ts), before the relocation compiles its own files.
    for (const line of leanLines(await leanPython(prefix, plan.platform.os)))
        core/* info */.pq(`lean: ${line}`);
    await makePythonRelocatable(pythonExecutable(prefix), prefix);
}
/**
 * A FIPS runtime: _ssl and _hashlib built into the interpreter, on one copy of libcrypto. As
 * extension modules each links its own static copy, and both load the one fips.so: the provider
 * keeps the core's functions in globals, so the second copy's load rewires the first's, and
 * `ssl.create_default_context()` fails with "library has no ciphers" (measured here). Their
 * symbols stay out of the interpreter's exports (--exclude-libs), as PY_UNSUPPORTED_OPENSSL_BUILD
 * does for the extension modules.
 */
function fipsSetupLocal(opensslPrefix) {
    const flags = `-I${opensslPrefix}/include -L${opensslPrefix}/lib`;
    const crypto = '-l:libcrypto.a -Wl,--exclude-libs,libcrypto.a';
    return `# tls-floor (fips): one libcrypto for _ssl and _hashlib, inside the interpreter
*static*
_hashlib _hashopenssl.c ${flags} ${crypto}
_ssl _ssl.c ${flags} -l:libssl.a -Wl,--exclude-libs,libssl.a ${crypto}
`;
}
/**
 * make install (not safe in parallel; its byte-compilation uses every core by itself). A build
 * that kept the test modules for PGO installs without Lib/test (TEST_MODULES=no, as
 * --disable-test-modules would) and removes the _test* extension modules it built.
 */
async function installPython(plan, prefix, ctx) {
    const run = inSource(ctx);
    // Only pgo-lto leaves --disable-test-modules out (pythonOptions); before 3.10 there was none.
    if (plan.python.optimize !== 'pgo-lto' || !(0,compat/* atLeast */.jZ)(plan.python.source.version, '3.10.0')) {
        await run('make', ['install']);
        return;
    }
    await run('make', ['install', 'TEST_MODULES=no']);
    const [major, minor] = plan.python.source.version.split('.');
    const dynload = external_node_path_default().join(prefix, 'lib', `python${major}.${minor}`, 'lib-dynload');
    for (const name of await (0,promises_.readdir)(dynload)) {
        if (TEST_EXTENSION.test(name))
            await (0,promises_.rm)(external_node_path_default().join(dynload, name), { force: true });
    }
}
/** The test extension modules configure builds without --disable-test-modules (_testcapi, _ctypes_test, ...). */
const TEST_EXTENSION = /^(_test\w*|_ctypes_test|_xxtestfuzz)\./;
const SSL_IMPORT_ERROR = /^\[ERROR\] _ssl failed to import: (.*)$/m;
/**
 * CPython's own word in the build log when its _ssl was built but does not import
 * (Tools/build/check_extension_modules.py: "[ERROR] _ssl failed to import: FILE: undefined
 * symbol: SSLv3_method", then "Could not build the ssl module!"): the cause that a later
 * failure (make install's ensurepip, minutes on) would otherwise hide. Undefined when it has none.
 */
function sslImportFailure(log) {
    const line = SSL_IMPORT_ERROR.exec(log);
    if (!line) {
        return log.includes('Could not build the ssl module!')
            ? "CPython did not build its ssl module (its build log says 'Could not build the ssl module!')"
            : undefined;
    }
    const symbol = /undefined symbol: (\S+)/.exec(line[1])?.[1];
    const what = symbol ? `undefined symbol: ${symbol}` : (0,errors/* clip */.$Q)(line[1].trim(), 200);
    return `CPython's _ssl was built but does not import (${what}); the build log says: ${(0,errors/* clip */.$Q)(line[0].trim(), 300)}`;
}
function pythonExecutable(prefix) {
    return external_node_path_default().join(prefix, 'bin', 'python3');
}

;// CONCATENATED MODULE: ./src/runtime/model/fips_rules.ts

/**
 * What fips: true cannot build, refused before any download (runtime/fips.ts builds the rest).
 * - The provider is OpenSSL 3's (the FIPS provider arrived in 3.0), and README-FIPS lets a
 *   validated provider be used with a library of a later 3.x release, not an earlier one.
 * - CPython 3.14 adds _hmac, which embeds HACL*'s hashes whatever --without-builtin-hashlib-hashes
 *   says: a non-FIPS hash this build could not leave out.
 */
function fipsIncompatibility(python, openssl, provider) {
    if (!/^3\./.test(provider) || !/^3\./.test(openssl))
        return `the FIPS provider is OpenSSL 3.x's, used with an OpenSSL 3.x library (README-FIPS), not provider ${provider} with OpenSSL ${openssl}.`;
    if (!(0,compat/* atLeast */.jZ)(openssl, provider))
        return `the FIPS provider ${provider} needs an OpenSSL library of the same or a later 3.x release (README-FIPS); OpenSSL ${openssl} is older.`;
    if ((0,compat/* atLeast */.jZ)(python, '3.14.0a0'))
        return `a FIPS runtime is CPython 3.13 or older: CPython ${python}'s _hmac embeds the built-in HACL* hashes, which bypass the FIPS provider.`;
    return undefined;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/runtime/model/platform.ts



/** Linux x86-64/arm64 first, macOS where the tools allow; anything else is refused. */
async function detectPlatform() {
    const platform = process.platform;
    const arch = process.arch;
    if ((platform !== 'linux' && platform !== 'darwin') || (arch !== 'x64' && arch !== 'arm64')) {
        throw new Error(`building a hardened runtime is not supported on ${platform}/${arch}: Linux and macOS on x64 or arm64 only. Probe an existing interpreter with python-path instead.`);
    }
    return { os: platform, osRelease: platform === 'linux' ? linuxRelease() : await macRelease(), arch };
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
async function macRelease() {
    const run = await (0,shared_process/* runProcess */.R3)('sw_vers', ['-productVersion'], { timeoutMs: 10_000 }).catch(() => undefined);
    const version = run?.code === 0 ? run.stdout.trim() : '';
    return `macos-${version || external_node_os_default().release()}`;
}

;// CONCATENATED MODULE: ./src/runtime/model/releases.ts
/**
 * Where a release outside the table (releases.json) is fetched from when no source URL is
 * given: upstream's own locations. Releases in the table carry their own URLs.
 */
const OPENSSL_URL_TEMPLATE = 'https://github.com/openssl/openssl/releases/download/openssl-{version}/openssl-{version}.tar.gz';
const PYTHON_URL_TEMPLATE = 'https://www.python.org/ftp/python/{version}/Python-{version}.tar.xz';

;// CONCATENATED MODULE: ./src/runtime/archive/extract.ts






/**
 * Unpacks exactly the given folders (checked by memberProblem) into the tool cache root: the
 * archive is decompressed again, here, into tar's standard input (a second decompression
 * costs less than writing, and reading back, a plain copy of the whole tar).
 */
async function extractMembers(archive, compression, folders, root) {
    const tar = (0,shared_process/* startProcess */.kp)('tar', ['-xf', '-', '--no-same-owner', '-C', root, ...folders], {
        timeoutMs: 15 * 60_000,
    });
    const fed = (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(archive, { highWaterMark: STREAM_CHUNK }), decompressor(compression), tar.input).then(() => undefined, (error) => error);
    const [result, feedError] = await Promise.all([tar.done, fed]);
    if (result.code !== 0)
        throw new Error(`cannot extract ${archive}: tar ${(0,shared_process/* howItEnded */.qQ)(result)}: ${tarProblem(result.stderr)}`);
    // tar exits at the end-of-archive blocks, so what follows them (a record's padding, or
    // more) may meet a closed pipe; tar's success is then the answer. Any other failure of the
    // feed (a corrupt stream, a read error) still fails the extraction.
    if (feedError && !closedPipe(feedError))
        throw new Error(`cannot extract ${archive}: ${(0,errors/* describeError */.Uc)(feedError)}`);
}
function closedPipe(error) {
    const code = error?.code;
    return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED';
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/runtime/limits.ts
/**
 * What a download or an archive may cost this action, in one place (docs/threat-model.md
 * and the prebuilt runtimes page say them to users). Whatever an index, an archive or a
 * server sends, a run ends within these bounds with one line naming the limit it hit.
 */
const MiB = 1024 * 1024;
const DOWNLOAD_LIMITS = {
    // CPython's tarball is 22 MiB and OpenSSL's 50 MiB today.
    source: {
        maxBytes: 512 * MiB,
        deadlineMs: 15 * 60_000,
        attempts: 4,
        backoffMs: 2000,
        idleMs: 30_000,
        progressMs: 30_000,
        label: 'a source tarball',
    },
    // A runtime archive (CPython 3.13 and OpenSSL 3.5, with pip) was 39 MiB as gzip; lean and zstd
    // (build format 3) about 20 MiB.
    archive: {
        maxBytes: 1024 * MiB,
        deadlineMs: 15 * 60_000,
        attempts: 4,
        backoffMs: 2000,
        idleMs: 30_000,
        progressMs: 30_000,
        label: 'a runtime archive',
    },
    // An index of a few hundred entries is a few hundred KiB; a miss only means a build.
    index: {
        maxBytes: 16 * MiB,
        deadlineMs: 60_000,
        attempts: 2,
        backoffMs: 500,
        idleMs: 20_000,
        progressMs: 30_000,
        label: 'a runtime index',
    },
};
/**
 * What a runtime archive may unpack to: the manifest's own `unpacked` counts when it gives
 * them (create-archive does), never more than these. Enforced while the archive is read,
 * before anything is extracted.
 */
const UNPACK_LIMITS = {
    /** A CPython 3.13 + OpenSSL 3.5 runtime unpacks to 116 MiB ... */
    maxBytes: 1024 * MiB,
    /** ... in 4,209 members (measured on the archive create-archive made on 2026-12-01). */
    maxMembers: 50_000,
    /** Decompressed tar headers and padding allowed per member, on top of its content. */
    overheadPerMember: 4096,
};
/** '512 MiB', '1.5 KiB', '900 bytes'. */
function sizeText(bytes) {
    if (bytes >= MiB)
        return `${Number((bytes / MiB).toFixed(1))} MiB`;
    if (bytes >= 1024)
        return `${Number((bytes / 1024).toFixed(1))} KiB`;
    return `${bytes} bytes`;
}

;// CONCATENATED MODULE: ./src/runtime/archive/list.ts






const MAX_MANIFEST = 64 * 1024 * 1024;
const NOT_OURS = `it is not a tls-floor runtime archive (the first member must be ${MANIFEST_NAME})`;
/** An archive that would unpack to more than it may: reading stops at once. */
class TooLarge extends Error {
}
/** What the archive may unpack to: its manifest's own counts, within UNPACK_LIMITS. */
function unpackLimits(manifest) {
    const stated = { members: UNPACK_LIMITS.maxMembers, bytes: UNPACK_LIMITS.maxBytes, from: 'the most an archive may' };
    const given = manifest?.unpacked;
    if (!Number.isSafeInteger(given?.members) || !Number.isSafeInteger(given?.bytes))
        return stated;
    return {
        members: Math.min(given.members, stated.members),
        bytes: Math.min(given.bytes, stated.bytes),
        from: 'what its manifest says, within the most an archive may',
    };
}
/**
 * Reads the manifest (the first member) and the names, types and link targets of all
 * others, with a real tar reader (pax and GNU long names included), extracting nothing.
 * Reading stops as soon as the members outnumber or outweigh unpackLimits (so extraction,
 * which unpacks the same file, stays within them) or the decompressed stream outgrows them.
 */
async function readArchive(archive) {
    const { Parser } = await __webpack_require__.e(/* import() */ 697).then(__webpack_require__.bind(__webpack_require__, 8697));
    const compression = await compressionOf(archive);
    const inflate = decompressor(compression);
    const members = [];
    const manifestChunks = [];
    let manifestBytes = 0;
    let first = true;
    let problem;
    let limits = unpackLimits(undefined);
    let bytes = 0;
    // 1 MiB reads and inflate chunks: with the defaults (64 KiB, 16 KiB) reading a 116 MiB runtime
    // took 0.95-1.17 s here, with these 0.29-0.37 s (the stream limits are checked per chunk).
    const source = (0,external_node_fs_.createReadStream)(archive, { highWaterMark: STREAM_CHUNK });
    // Noted here, raised by the counter on its next chunk (the stream stops there), and checked
    // again once the pipeline is done: a small archive may pass the counter whole before the
    // parser reaches the member that is too large.
    let oversize;
    const tooLarge = (what) => {
        oversize ??= new TooLarge(`it unpacks to more than ${what} (${limits.from})`);
    };
    const parser = new Parser({
        strict: true,
        onReadEntry: (entry) => {
            if (first) {
                first = false;
                if (entry.type !== 'File' || entry.path.replace(/^\.\//, '') !== MANIFEST_NAME || entry.size > MAX_MANIFEST) {
                    problem = NOT_OURS;
                }
                else {
                    entry.on('data', (chunk) => {
                        manifestBytes += chunk.length;
                        if (manifestBytes <= MAX_MANIFEST)
                            manifestChunks.push(chunk);
                    });
                    entry.on('end', () => {
                        limits = unpackLimits(parseManifest(manifestChunks));
                    });
                    return;
                }
            }
            bytes += entry.size;
            if (members.length >= limits.members)
                tooLarge(`${limits.members} members`);
            else if (bytes > limits.bytes)
                tooLarge(`${sizeText(limits.bytes)}`);
            members.push({ path: entry.path, type: entry.type, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
            entry.resume();
        },
    });
    // Headers, padding and the manifest on top of the members' content: a stream of zeros
    // (the end of the archive, then nothing but zeros) ends here too.
    let streamed = 0;
    const streamLimit = () => MAX_MANIFEST + limits.bytes + (limits.members + 2) * UNPACK_LIMITS.overheadPerMember;
    const counter = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            streamed += chunk.length;
            if (oversize)
                done(oversize);
            else if (streamed > streamLimit())
                done(new TooLarge(`it unpacks to more than ${sizeText(streamLimit())} of tar`));
            else
                done(null, chunk);
        },
    });
    try {
        await (0,external_node_stream_promises_.pipeline)(source, inflate, counter, parser);
    }
    catch (error) {
        const refusal = oversize ?? error;
        if (refusal instanceof TooLarge)
            throw new ArchiveRefused(`${refusal.message}. Nothing was extracted`);
        throw new ArchiveRefused(`it is not a readable ${ARCHIVE_EXTENSION[compression]} (${(0,errors/* describeError */.Uc)(error)})`);
    }
    if (oversize)
        throw new ArchiveRefused(`${oversize.message}. Nothing was extracted`);
    if (first || problem)
        throw new ArchiveRefused(problem ?? NOT_OURS);
    const manifest = parseManifest(manifestChunks);
    if (!manifest)
        throw new ArchiveRefused(`its ${MANIFEST_NAME} is not JSON`);
    return { manifest, compression, members };
}
function parseManifest(chunks) {
    try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/runtime/archive/members.ts



/** The folders of the plan's entries, relative to the tool-cache root: the only members allowed. */
function memberFolders(plan) {
    return [plan.openssl.entry, plan.python.entry].map((e) => external_node_path_default().posix.join(e.tool, semverOf(e.version), e.variant));
}
/**
 * Why the archive's members cannot be unpacked into exactly these folders, or undefined.
 * Refused: a name with '..' or an absolute name, a name outside the folders, a name given
 * twice (but a folder), a member below a link (nothing is
 * written through a link), a link that leads out of its folder, followed as the file system
 * would follow it (links to links, '..' after a link) over the links the archive makes,
 * and anything but files, folders and links.
 */
function memberProblem(members, folders) {
    const links = new Map(members.filter((m) => m.type === 'SymbolicLink').map((m) => [clean(m.path), m.linkpath ?? '']));
    const seen = new Set();
    for (const member of members) {
        const name = member.path;
        const shown = (0,errors/* clip */.$Q)(name, 100);
        if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
            return `member '${shown}' has an absolute name`;
        if (name.split('/').includes('..'))
            return `member '${shown}' contains '..'`;
        const rel = clean(name);
        const folder = folders.find((f) => rel === f || rel.startsWith(`${f}/`));
        if (!folder) {
            // The parents of the folders (tls-floor-python/, tls-floor-python/3.11.2/) may be listed.
            if (member.type === 'Directory' && folders.some((f) => f.startsWith(`${rel}/`)))
                continue;
            return `member '${shown}' is outside the folders its manifest names (${folders.join(', ')})`;
        }
        if (rel === folder && member.type !== 'Directory')
            return `member '${shown}' is a ${member.type}, not a folder`;
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            if (links.has(parts.slice(0, i).join('/')))
                return `member '${shown}' lies below the link ${parts.slice(0, i).join('/')}`;
        }
        const problem = linkProblem(member, parts, folder, links);
        if (problem)
            return `member '${shown}' ${problem}`;
        if (seen.has(rel) && member.type !== 'Directory')
            return `member '${shown}' is given twice`;
        seen.add(rel);
    }
    return undefined;
}
function linkProblem(member, parts, folder, links) {
    const target = member.linkpath ?? '';
    const within = folder.split('/');
    if (member.type === 'SymbolicLink') {
        if (target.startsWith('/') || !follow(parts.slice(0, -1), target, within, links, true))
            return `is a symbolic link to '${(0,errors/* clip */.$Q)(target, 100)}', outside its folder`;
    }
    else if (member.type === 'Link') {
        // tar names a hard link's target from the root; link(2) follows links on the way there.
        const lexical = clean(target);
        const inside = !target.startsWith('/') && !target.split('/').includes('..') && lexical.startsWith(`${folder}/`);
        const reached = inside ? follow(within, lexical.slice(folder.length + 1), within, links, false) : undefined;
        if (reached?.join('/') !== lexical)
            return `is a hard link to '${(0,errors/* clip */.$Q)(target, 100)}', outside its folder`;
    }
    else if (!['File', 'OldFile', 'ContiguousFile', 'Directory'].includes(member.type)) {
        return `is a ${member.type}, not a file, folder or link`;
    }
    return undefined;
}
/** The kernel's limit on links followed in one path (Linux: 40). */
const MAX_LINK_HOPS = 40;
/**
 * Where `target`, taken from the folder `from`, leads over the archive's links (every link
 * met on the way is followed, the last one only if `followLast`), or undefined when any step
 * of the way leaves `within` or too many links are followed: what the file system would do
 * once the archive is unpacked, decided before anything is.
 */
function follow(from, target, within, links, followLast) {
    const at = [...from];
    const pending = target.split('/').filter((p) => p !== '' && p !== '.');
    let hops = 0;
    while (pending.length > 0) {
        const part = pending.shift();
        if (part === '..')
            at.pop();
        else
            at.push(part);
        if (at.length < within.length || within.some((p, i) => at[i] !== p))
            return undefined;
        const link = links.get(at.join('/'));
        if (link === undefined || (pending.length === 0 && !followLast))
            continue;
        if (++hops > MAX_LINK_HOPS || link.startsWith('/'))
            return undefined;
        at.pop();
        pending.unshift(...link.split('/').filter((p) => p !== '' && p !== '.'));
    }
    return at;
}
const clean = (name) => name
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/shared/floor.ts
var shared_floor = __webpack_require__(2439);
// EXTERNAL MODULE: ./src/runtime/model/request.ts
var request = __webpack_require__(5367);
;// CONCATENATED MODULE: ./src/runtime/archive/trust.ts










/**
 * The plan this action would make for what the manifest says it holds, on this runner:
 * the manifest's strings are data to compare, never paths. Throws an ArchiveRefused naming
 * what does not fit (a version that is not a version, entries the action would not make).
 */
function trustedPlan(manifest, want) {
    const refuse = (...why) => new ArchiveRefused(...why);
    const plan = manifest?.plan;
    if (manifest?.format !== ARCHIVE_FORMAT)
        throw refuse(`archive format ${String(manifest?.format)}, this action reads format ${ARCHIVE_FORMAT}`);
    const checked = (given, name, pattern, what) => {
        if (!given || typeof given.version !== 'string' || !pattern.test(given.version)) {
            throw refuse(`its manifest names ${what} version ${(0,errors/* clip */.$Q)(JSON.stringify(given?.version ?? null), 60)}, not a version`);
        }
        if (given.sha256 !== undefined && !(0,shared_sha256/* isSha256 */._)(given.sha256)) {
            throw refuse(`its manifest names a ${what} checksum that is not a SHA-256 digest`);
        }
        return {
            name,
            version: given.version,
            url: String(given.url),
            ...(given.sha256 ? { sha256: given.sha256 } : {}),
            checksumFrom: given.checksumFrom,
        };
    };
    const source = (name, pattern) => checked(plan?.[name]?.source, name, pattern, name);
    const python = source('python', /^\d+\.\d+\.\d+$/);
    const openssl = source('openssl', /^\d+\.\d+\.\d+[a-z]?$/);
    if (!shared_floor/* FLOORS */.Y6.includes(plan.floor))
        throw refuse(`its manifest names a floor ${(0,errors/* clip */.$Q)(JSON.stringify(plan.floor), 20)}`);
    const freethreaded = plan.python?.freethreaded === true;
    const mismatch = requestMismatch(python.version, openssl.version, plan.floor, plan.platform, want) ??
        threadingMismatch(python.version, freethreaded, want.python);
    if (mismatch)
        throw refuse(mismatch);
    const given = plan.openssl?.fips;
    const fips = given ? checked(given.provider, 'openssl', /^3\.\d+\.\d+$/, 'FIPS provider') : undefined;
    const fipsMismatch = fipsRequestMismatch(fips?.version, want);
    if (fipsMismatch)
        throw refuse(fipsMismatch);
    const format = plan.python?.entry?.identity?.['format'];
    if (format !== BUILD_FORMAT) {
        throw refuse(`it holds a runtime of build format ${(0,errors/* clip */.$Q)(JSON.stringify(format ?? null), 20)}, this action installs build format ${BUILD_FORMAT} (relocatable); make it again with `, (0,errors/* mention */.lE)('archive-making'));
    }
    const optimized = plan.python?.entry?.identity?.['optimize'] ?? 'none';
    const optimize = request/* OPTIMIZATIONS */.$.find((o) => o === optimized);
    if (!optimize)
        throw refuse(`its manifest names an optimization ${(0,errors/* clip */.$Q)(JSON.stringify(optimized), 20)}`);
    const expected = planBuild({
        floor: plan.floor,
        platform: want.platform,
        jobs: want.jobs,
        python,
        openssl,
        pythonOptions: pythonOptions(python.version, want.platform.os, freethreaded, optimize, Boolean(fips)),
        optimize,
        opensslDir: want.opensslDir,
        ...(freethreaded ? { freethreaded } : {}),
        ...(fips ? { fips } : {}),
    });
    for (const part of ['openssl', 'python']) {
        const theirs = plan[part]?.entry;
        const ours = expected[part].entry;
        const same = theirs && theirs.tool === ours.tool && theirs.version === ours.version && theirs.variant === ours.variant;
        if (!same || !(0,external_node_util_.isDeepStrictEqual)(theirs.identity, ours.identity)) {
            const named = theirs
                ? [theirs.tool, theirs.version, theirs.variant].map((v) => (0,errors/* clip */.$Q)(String(v), 80)).join('/')
                : 'nothing';
            throw refuse(`its manifest names the tool-cache entry ${named}, not ${ours.tool}/${ours.version}/${ours.variant}, which this action makes for ${part === 'python' ? 'CPython' : 'OpenSSL'} ${part === 'python' ? python.version : openssl.version}`);
        }
    }
    // Relocatable builds (relocate.ts) install under any root; older ones only where they were built.
    if (manifest.toolCacheRoot !== want.root && !isRelocatable(expected)) {
        throw refuse(`it was built in the tool cache ${(0,errors/* clip */.$Q)(String(manifest.toolCacheRoot), 200)} (CPython bakes its prefix in), this runner's is ${want.root}`);
    }
    return expected;
}
function requestMismatch(python, openssl, floor, p, want) {
    // A spec is matched as a spec: python-version 3.13 takes a 3.13.15 archive.
    for (const [project, held, asked] of [
        ['python', python, want.python],
        ['openssl', openssl, want.openssl],
    ]) {
        if (!asked || (0,versions/* specMatches */.$S)(project, asked.spec, held, asked.syntax))
            continue;
        const label = project === 'python' ? 'CPython' : 'OpenSSL';
        return (0,versions/* isExactVersion */.Yb)(project, asked.spec)
            ? `it holds ${label} ${held}, not the requested ${asked.spec}`
            : `it holds ${label} ${held}, which does not match the requested '${(0,errors/* clip */.$Q)(asked.spec, 60)}'`;
    }
    if (floor !== want.floor)
        return `it was built for a TLS ${floor} floor, not ${want.floor}`;
    if (p?.os !== want.platform.os || p?.arch !== want.platform.arch || p?.osRelease !== want.platform.osRelease) {
        const theirs = [p?.os, p?.osRelease, p?.arch].map((v) => (0,errors/* clip */.$Q)(String(v), 40)).join(' ');
        return `it was built on ${theirs}, this runner is ${want.platform.os} ${want.platform.osRelease} ${want.platform.arch}`;
    }
    return undefined;
}
/** Why a FIPS request does not fit the archive's FIPS provider (none, or another release), or undefined. */
function fipsRequestMismatch(provider, want) {
    if (!want.fips)
        return undefined;
    if (!provider)
        return 'it holds a runtime without the FIPS provider, and fips is true';
    if (want.fips.providerGiven && provider !== want.fips.providerVersion)
        return `it holds the FIPS provider of OpenSSL ${provider}, not the requested ${want.fips.providerVersion}`;
    return undefined;
}
/** A free-threaded archive for a GIL request, or the other way round (an archive without a python-version takes its own). */
function threadingMismatch(python, held, asked) {
    if (!asked || held === Boolean(asked.freethreaded))
        return undefined;
    return held
        ? `it holds free-threaded CPython ${python}; the request is for the GIL build (ask for ${(0,versions/* lineOf */.cA)('python', python)}t to take it)`
        : `it holds CPython ${python} with the GIL, not the free-threaded build requested`;
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./src/runtime/download.ts











/**
 * Downloads `url` to `dest`, retrying network failures and 5xx/429 answers with backoff,
 * within the kind's limits (limits.ts): at most `maxBytes` written, every attempt and wait
 * over by `deadlineMs`, a progress line every `progressMs`. A file: URL or an absolute path
 * is copied (an artifact already downloaded by the workflow) if it is a regular file within
 * the byte limit. On any failure `dest` is gone.
 */
async function download(url, dest, options) {
    const { label, ...defaults } = DOWNLOAD_LIMITS[options.kind];
    const limits = {
        ...defaults,
        ...withoutUndefined(options),
        ...(options.capFrom ? { capFrom: options.capFrom } : {}),
    };
    await (0,promises_.mkdir)(external_node_path_default().dirname(dest), { recursive: true });
    if (url.startsWith('file:') || external_node_path_default().isAbsolute(url)) {
        try {
            return await copyLocal(url.startsWith('file:') ? (0,external_node_url_.fileURLToPath)(url) : url, dest, { ...limits, label });
        }
        catch (error) {
            await (0,promises_.rm)(dest, { force: true });
            const line = error.message;
            throw options.subject ? new errors/* Unusable */.kO(options.subject, line) : new Error(line);
        }
    }
    const started = performance.now();
    const deadline = started + limits.deadlineMs;
    let wait = limits.backoffMs;
    for (let attempt = 1;; attempt++) {
        try {
            await fetchTo(url, dest, { ...limits, deadline, label });
            return;
        }
        catch (error) {
            await (0,promises_.rm)(dest, { force: true });
            const message = (0,errors/* describeError */.Uc)(error);
            const final = error instanceof HttpError ? error.permanent : error instanceof PermanentError;
            if (final || attempt >= limits.attempts || performance.now() + wait >= deadline) {
                const secs = ((performance.now() - started) / 1000).toFixed(1);
                throw new Error(`download of ${(0,errors/* clip */.$Q)(url, 300)} failed after ${attempt} attempt(s) in ${secs} s: ${message}`);
            }
            core/* info */.pq(`download attempt ${attempt} of ${limits.attempts} failed (${message}); retrying in ${wait / 1000} s (${label} gets ${limits.deadlineMs / 1000} s in all)`);
            await new Promise((r) => setTimeout(r, wait));
            wait *= 2;
        }
    }
}
const withoutUndefined = (options) => {
    const { subject: _subject, kind: _kind, capFrom: _capFrom, ...rest } = options;
    return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
};
/**
 * Copies a local file: opened without blocking (a FIFO with no writer would block a plain
 * open forever), refused unless it is a regular file, and cut at `maxBytes` while copying
 * (a file that grows).
 */
async function copyLocal(file, dest, limits) {
    let handle;
    try {
        handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (error) {
        const code = error.code;
        const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
        throw new Error(`${file} ${why}; give the path of the file, or an http(s) URL.`);
    }
    try {
        const info = await handle.stat();
        if (!info.isFile()) {
            const what = info.isDirectory()
                ? 'is a folder'
                : info.isFIFO()
                    ? 'is a FIFO'
                    : info.isSocket()
                        ? 'is a socket'
                        : 'is a device';
            throw new Error(`${file} ${what}; give the path of the file, or an http(s) URL.`);
        }
        if (info.size > limits.maxBytes)
            throw new Error(`${file} holds ${info.size} bytes, ${capText(limits)}.`);
        await (0,external_node_stream_promises_.pipeline)(handle.createReadStream({ autoClose: false }), byteCap(limits), (0,external_node_fs_.createWriteStream)(dest));
    }
    finally {
        await handle.close();
    }
}
/** The byte limit in words: '1000 bytes (the size the index gives)', '512 MiB, the most a source tarball may have'. */
const capText = (limits) => limits.capFrom
    ? `more than ${limits.maxBytes} bytes (${limits.capFrom})`
    : `more than ${sizeText(limits.maxBytes)}, the most ${limits.label} may have`;
/** Passes bytes until more than `maxBytes` arrive; then fails without writing the chunk that is too many. */
function byteCap(limits, counted) {
    let received = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            received += chunk.length;
            counted?.(received);
            if (received > limits.maxBytes)
                done(new PermanentError(`${capText(limits)}: stopped after ${received - chunk.length} bytes`));
            else
                done(null, chunk);
        },
    });
}
/**
 * Checks a downloaded file's SHA-256 before anything may extract it. On a mismatch the file
 * is deleted and the refusal says the expected and the actual digest.
 */
async function verifyDigest(file, url, expected) {
    const actual = await (0,shared_sha256/* sha256File */.Q)(file);
    if (actual !== expected.sha256.toLowerCase()) {
        await (0,promises_.rm)(file, { force: true });
        throw new errors/* Unusable */.kO(expected.subject, `checksum mismatch for ${url}: expected ${expected.sha256.toLowerCase()}, got ${actual}. Nothing was extracted or cached.`);
    }
    core/* info */.pq(`sha256 ${actual} verified`);
}
/** Retrying cannot help: a refused redirect (not http(s), https to http, a loop), a byte limit, the deadline. */
class PermanentError extends Error {
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
async function fetchTo(url, dest, limits) {
    const client = new lib/* HttpClient */.Qq('tls-floor', [], {
        socketTimeout: limits.idleMs,
        keepAlive: false,
        allowRedirects: false,
    });
    const started = performance.now();
    let received = 0;
    let total = 0;
    let response;
    let expired;
    // The deadline ends a slow body and a server that never answers alike: destroying the
    // client's sockets ends a pending request, destroying the response ends its pipeline.
    const deadline = setTimeout(() => {
        expired = new PermanentError(`not done within ${limits.deadlineMs / 1000} s, the time ${limits.label} gets (${sizeText(received)} received)`);
        response?.destroy(expired);
        client.dispose();
    }, Math.max(0, limits.deadline - performance.now()));
    const progress = setInterval(() => {
        const secs = ((performance.now() - started) / 1000).toFixed(0);
        core/* info */.pq(response
            ? `  ${sizeText(received)}${total ? ` of ${sizeText(total)}` : ''} after ${secs} s`
            : `  no answer yet after ${secs} s`);
    }, limits.progressMs);
    try {
        response = await download_follow(client, url);
        total = Number(response.headers['content-length'] ?? 0);
        if (total > limits.maxBytes)
            throw new PermanentError(`the server announces ${total} bytes, ${capText(limits)}; nothing was written`);
        let nextReport = 0.25;
        const counted = (bytes) => {
            received = bytes;
            if (total && received / total >= nextReport) {
                core/* info */.pq(`  ${Math.round((received / total) * 100)}% of ${sizeText(total)}`);
                nextReport += 0.25;
            }
        };
        await (0,external_node_stream_promises_.pipeline)(response, byteCap(limits, counted), (0,external_node_fs_.createWriteStream)(dest));
        if (total && received !== total)
            throw new Error(`connection closed after ${received} of ${total} bytes`);
        const secs = (performance.now() - started) / 1000;
        core/* info */.pq(`downloaded ${sizeText(received)} in ${secs.toFixed(1)} s from ${url}`);
    }
    catch (error) {
        throw expired ?? error;
    }
    finally {
        clearTimeout(deadline);
        clearInterval(progress);
        client.dispose();
    }
}
async function download_follow(client, url) {
    let current = new URL(url);
    const seen = new Set([current.href]);
    for (let hops = 0; hops <= 10; hops++) {
        const { message } = await client.get(current.href);
        const status = message.statusCode ?? 0;
        if (status === 200)
            return message;
        message.resume();
        const location = message.headers.location;
        if (status < 300 || status >= 400 || !location)
            throw new HttpError(status, current.href);
        let next;
        try {
            next = new URL(location, current);
        }
        catch {
            throw new PermanentError(`HTTP ${status} from ${current.href} redirects to '${(0,errors/* clip */.$Q)(location, 200)}', which is not a URL`);
        }
        if (next.protocol !== 'https:' && next.protocol !== 'http:') {
            throw new PermanentError(`HTTP ${status} from ${current.href} redirects to ${(0,errors/* clip */.$Q)(next.href, 200)}: only http(s) redirects are followed`);
        }
        // A checksum still guards the bytes, but an https source must not be fetched in clear.
        if (current.protocol === 'https:' && next.protocol !== 'https:') {
            throw new PermanentError(`HTTP ${status} from ${current.href}: refused redirect from https to ${(0,errors/* clip */.$Q)(next.href, 200)}`);
        }
        if (seen.has(next.href))
            throw new PermanentError(`HTTP ${status} from ${current.href}: redirect loop back to ${(0,errors/* clip */.$Q)(next.href, 200)}`);
        seen.add(next.href);
        current = next;
    }
    throw new PermanentError(`more than 10 redirects from ${url}`);
}

;// CONCATENATED MODULE: ./src/runtime/source_tarball.ts








/**
 * Downloads a source tarball, verifies its checksum, and only then extracts it into
 * `workDir/src` (top folder stripped). Returns the source folder.
 */
async function fetchSource(source, workDir) {
    const archive = external_node_path_default().join(workDir, external_node_path_default().basename(new URL(source.url).pathname) || `${source.name}-source`);
    await download(source.url, archive, { kind: 'source', subject: `${source.name}-source` });
    if (source.sha256) {
        await verifyDigest(archive, source.url, { sha256: source.sha256, subject: `${source.name}-checksum` });
    }
    else {
        const digest = await (0,shared_sha256/* sha256File */.Q)(archive);
        core/* warning */.$e(`UNVERIFIED SOURCE: ${source.url} is used without a checksum because allow-unverified-source is true. Its SHA-256 is ${digest}; pin it with '${source.name}-sha256: ${digest}'.`);
    }
    const srcDir = external_node_path_default().join(workDir, 'src');
    await (0,promises_.mkdir)(srcDir, { recursive: true });
    // tar recognises gzip and xz by their magic bytes, whatever the file is called.
    const tar = await (0,shared_process/* runProcess */.R3)('tar', ['-xf', archive, '-C', srcDir, '--strip-components=1'], {
        timeoutMs: 10 * 60_000,
    });
    if (tar.code !== 0)
        throw new errors/* Unusable */.kO(`${source.name}-source`, `cannot extract ${source.url}: tar ${(0,shared_process/* howItEnded */.qQ)(tar)}: ${tarProblem(tar.stderr)}`);
    return srcDir;
}

;// CONCATENATED MODULE: ./src/runtime/openssl.ts







/**
 * Configures, builds and installs the hardened OpenSSL into `prefix` (its tool-cache folder).
 * OPENSSLDIR (cert.pem, certs/, openssl.cnf) is the system's, among the plan's options: see
 * relocate.ts systemOpensslDir. Nothing is installed there (install_dev installs no ssldirs).
 */
async function buildOpenssl(plan, prefix, ctx) {
    const run = inSource(ctx);
    checkSourceTree(ctx, plan.openssl.source, 'OpenSSL', 'config');
    // ./config guesses the target on every version we support (Configure needs it named on 1.1.1).
    await run('./config', [`--prefix=${prefix}`, '--libdir=lib', ...plan.openssl.options]);
    // Only the libraries and headers: no apps, tests or manuals (hundreds of pages to render).
    // A FIPS build also needs its module and the openssl program (fipsinstall at every install):
    // build_sw, one goal (build_libs build_modules build_programs side by side each run
    // `make depend` at once under -j, and the build fails).
    await run('make', [`-j${plan.jobs}`, plan.openssl.fips ? 'build_sw' : 'build_libs']);
    await run('make', ['install_dev']);
    if (plan.openssl.fips)
        await installFipsPieces(plan, prefix, ctx);
    await relocatePkgConfig(prefix);
}
/**
 * The FIPS module and the openssl program, copied into the entry by hand: `make install_fips`
 * would run fipsinstall into OPENSSLDIR, the system's folder. The module comes from the provider
 * release's own tarball where it is not the library's (README-FIPS: a validated provider is
 * used with a later 3.x library), built with the same options.
 */
async function installFipsPieces(plan, prefix, ctx) {
    const provider = plan.openssl.fips.provider;
    let moduleDir = ctx.srcDir;
    if (provider.version !== plan.openssl.source.version) {
        const work = external_node_path_default().join(external_node_path_default().dirname(ctx.srcDir), 'fips-provider');
        await (0,promises_.mkdir)(work, { recursive: true });
        moduleDir = await fetchSource(provider, work);
        checkSourceTree({ ...ctx, srcDir: moduleDir }, provider, 'OpenSSL', 'config');
        const runThere = inSource({ ...ctx, srcDir: moduleDir });
        await runThere('./config', [`--prefix=${prefix}`, '--libdir=lib', ...plan.openssl.options]);
        await runThere('make', [`-j${plan.jobs}`, 'build_modules']);
    }
    await (0,promises_.mkdir)(external_node_path_default().join(prefix, 'lib', 'ossl-modules'), { recursive: true });
    await (0,promises_.mkdir)(external_node_path_default().join(prefix, 'bin'), { recursive: true });
    await (0,promises_.copyFile)(external_node_path_default().join(moduleDir, 'providers', 'fips.so'), external_node_path_default().join(prefix, FIPS_FILES.module));
    await (0,promises_.copyFile)(external_node_path_default().join(ctx.srcDir, 'apps', 'openssl'), external_node_path_default().join(prefix, FIPS_FILES.openssl));
}
/** The installed version, read from the headers the build produced. */
async function installedOpensslVersion(prefix) {
    const header = await (0,promises_.readFile)(external_node_path_default().join(prefix, 'include', 'openssl', 'opensslv.h'), 'utf8').catch(() => '');
    // 3.x: # define OPENSSL_VERSION_TEXT "OpenSSL 3.0.22 ..."; 1.1.1: "OpenSSL 1.1.1w  11 Sep 2023"
    return (/OPENSSL_VERSION_TEXT\s+"OpenSSL (\S+)/.exec(header)?.[1] ?? /OPENSSL_FULL_VERSION_STR\s+"(\S+)"/.exec(header)?.[1]);
}
/** The static libraries the CPython build must link, and no shared ones it could pick instead. */
function checkOpensslInstall(prefix, fips = false) {
    const lib = external_node_path_default().join(prefix, 'lib');
    const problems = [];
    for (const file of fips ? [FIPS_FILES.module, FIPS_FILES.openssl] : []) {
        if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(prefix, file)))
            problems.push(`${file} missing from ${prefix} (a FIPS build)`);
    }
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

// EXTERNAL MODULE: ./src/shared/ciphers.ts
var ciphers = __webpack_require__(8429);
// EXTERNAL MODULE: ./src/shared/python_facts.ts
var python_facts = __webpack_require__(2095);
// EXTERNAL MODULE: ./src/shared/tls/client_hello.ts
var client_hello = __webpack_require__(5043);
;// CONCATENATED MODULE: ./src/runtime/verify.ts









const HELLO_RANGES = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
function offered(entry) {
    if (!entry?.hello)
        return { none: (0,errors/* clip */.$Q)(entry?.error ?? 'not reported', 160) };
    const parsed = (0,client_hello/* parseClientHello */.nT)(Buffer.from(entry.hello, 'hex'));
    if (!parsed.ok)
        return { none: `the bytes written are not a ClientHello (${parsed.error})` };
    return (0,client_hello/* offeredVersions */.dO)(parsed.hello).map((v) => v.name ?? `0x${v.code.toString(16)}`);
}
function libraryOffers(helloes) {
    return {
        all: offered(helloes?.['all']),
        alone: Object.fromEntries(HELLO_RANGES.map((v) => [v, offered(helloes?.[v])])),
    };
}
/**
 * What the library's own helloes say against the floor: no version below it offered, in its
 * whole range or asked for alone (OpenSSL ends a range at a version it lacks, so alone tells
 * more); the floor's version offered, else the check could not tell anything.
 */
function offersBelowFloor(offers, floor) {
    const problems = [];
    const below = ['SSLv3', ...(0,shared_floor/* versionsBelow */.jR)(floor)];
    const wanted = (0,shared_floor/* floorVersion */.JV)(floor);
    const all = offers.all;
    if (Array.isArray(all)) {
        const low = all.filter((v) => below.includes(v));
        if (low.length > 0)
            problems.push(`the library's ClientHello offers ${low.join(', ')}`);
        if (!all.includes(wanted))
            problems.push(`the library's ClientHello does not offer ${wanted} (it offers ${all.join(', ')})`);
    }
    else
        problems.push(`the library wrote no ClientHello for its whole range: ${all.none}`);
    for (const v of below) {
        const alone = offers.alone[v];
        if (Array.isArray(alone) && alone.includes(v))
            problems.push(`asked for ${v} alone, the library wrote a ClientHello offering it`);
    }
    const control = offers.alone[wanted];
    if (!Array.isArray(control) || !control.includes(wanted))
        problems.push(`asked for ${wanted} alone, the library wrote no ClientHello offering it (${Array.isArray(control) ? control.join(', ') : control?.none}): the check tells nothing`);
    return problems;
}
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
/**
 * What a runtime says of itself, with no judgement: the facts verification needs, from the
 * script the probe also sends (python_facts.py), so both see the same facts. Run without
 * SSL_CERT_FILE/SSL_CERT_DIR: the trust store must come from the build itself, not from a
 * variable this runner happens to set.
 */
async function inspectRuntime(python) {
    return (await inspectFacts(python)).seen;
}
async function inspectFacts(python) {
    // Nor OPENSSL_CONF/OPENSSL_MODULES: the runtime's own configuration, as installed, is verified.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !UNSET_FOR_VERIFICATION.includes(k)));
    const run = await (0,shared_process/* runProcess */.R3)(python, ['-E', '-s', '-c', `${(0,python_facts/* pythonFactsScript */.D)()}\nfacts_main()\n`], {
        input: JSON.stringify({ optionalModules: Object.keys(OPTIONAL_MODULES), ciphers: ciphers/* PERMISSIVE_CIPHERS */.z }),
        timeoutMs: 60_000,
        env,
    });
    if (run.flooded)
        throw new VerificationError(`${python} ${(0,shared_process/* floodLine */.Zq)(run)}`);
    let seen;
    try {
        seen = JSON.parse(run.stdout);
    }
    catch {
        throw new VerificationError(`${python} could not run the verification (exit ${run.code}): ${(0,shared_process/* lastLine */.fM)(run.stderr) ?? ''}`);
    }
    if (seen.fatal === 'no-ssl')
        throw new VerificationError(`${python}: import ssl failed: ${(0,errors/* clip */.$Q)(String(seen.detail ?? ''), 200)}`);
    if (!seen.runtime)
        throw new VerificationError(`${python} could not run the verification: it reported no facts`);
    const facts = seen.runtime;
    const linked = (await Promise.all(facts.extensionFiles.map(linkedTlsLibraries))).flat();
    const verification = {
        pythonVersion: facts.version,
        opensslVersion: facts.opensslVersion,
        has: facts.has,
        libraryOffers: libraryOffers(facts.helloes),
        sslModule: facts.extensionFiles[0] ?? 'built-in',
        tlsLibraries: [...new Set([...linked, ...(facts.libssl ?? [])])],
        defaultCaCount: facts.defaultCaCount,
        verifyPaths: facts.verifyPaths,
        missingModules: facts.missingModules,
        freeThreaded: facts.freeThreaded === true,
        gilEnabled: facts.gilEnabled !== false,
    };
    return { seen: verification, fips: facts.fips ?? null };
}
const UNSET_FOR_VERIFICATION = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'PYTHON_GIL', 'OPENSSL_CONF', 'OPENSSL_MODULES'];
/**
 * Checks a freshly built (or restored) runtime before anyone may use it: it is the CPython
 * version the plan names, it speaks the OpenSSL it was built against and no other, that OpenSSL
 * offers no protocol below the floor in the ClientHellos it writes, and its default trust store
 * is not empty. Every failure is listed at once.
 */
async function verifyRuntime(python, expected) {
    const { seen, fips } = await inspectFacts(python);
    const problems = [];
    if (expected.fips) {
        seen.fips = await fipsVerification(fips, expected.opensslPrefix);
        problems.push(...fipsProblems(seen.fips, expected.fips.providerVersion));
    }
    // Read from the interpreter, never believed from a manifest or an index: a relabelled
    // runtime is refused before it is filed in the tool cache under the false version.
    if (seen.pythonVersion !== expected.pythonVersion) {
        problems.push(`the interpreter is CPython ${(0,errors/* clip */.$Q)(String(seen.pythonVersion), 40)}, not ${expected.pythonVersion}`);
    }
    if (!seen.opensslVersion.startsWith(`OpenSSL ${expected.opensslVersion} `)) {
        problems.push(`ssl.OPENSSL_VERSION is '${seen.opensslVersion}', not OpenSSL ${expected.opensslVersion}`);
    }
    // What the library writes on the wire, never ssl.HAS_* alone: CPython 3.15 defines
    // OPENSSL_NO_TLS1_2 (HAS_TLSv1_2 False) for every OpenSSL 4, which speaks TLS 1.2.
    problems.push(...offersBelowFloor(seen.libraryOffers, expected.floor));
    const foreign = seen.tlsLibraries.filter((lib) => !expected.opensslPrefix || !lib.startsWith(`${expected.opensslPrefix}/`));
    if (foreign.length > 0)
        problems.push(`_ssl uses a TLS library other than the one built: ${foreign.join(', ')}`);
    problems.push(...threadingProblems(seen, Boolean(expected.freethreaded)));
    if (!(seen.defaultCaCount > 0)) {
        problems.push(`the default trust store is empty (cafile ${seen.verifyPaths['cafile'] ?? seen.verifyPaths['openssl_cafile']}): real HTTPS requests would fail`);
    }
    if (problems.length > 0) {
        throw new VerificationError(`the runtime at ${python} failed verification: ${problems.join('; ')}.`);
    }
    return seen;
}
/** The FIPS facts of a runtime: the interpreter's own, its openssl's provider listing, this machine's fipsinstall. */
async function fipsVerification(process, opensslPrefix) {
    if (!opensslPrefix)
        return { process, providers: [], install: null };
    const providers = await listProviders(opensslPrefix).catch(() => []);
    const record = await (0,promises_.readFile)(external_node_path_default().join(opensslPrefix, FIPS_FILES.record), 'utf8').catch(() => 'null');
    return { process, providers, install: JSON.parse(record) };
}
/**
 * What a FIPS runtime must show: the interpreter's OpenSSL fetches with fips=yes, md5 raises for
 * security use and works only when asked for without (usedforsecurity=False), SHA-256 works
 * (the FIPS provider serves it), no built-in hash module imports, and the FIPS provider of the
 * planned release is active (its self-tests passed) after this machine's fipsinstall.
 */
function fipsProblems(fips, providerVersion) {
    const p = fips.process;
    if (!p)
        return ['the interpreter has no _hashlib, so no FIPS mode'];
    const problems = [];
    if (p.defaultPropertiesFips !== true)
        problems.push(`_hashlib.get_fips_mode() is ${p.defaultPropertiesFips}, not on`);
    if (!p.md5.startsWith('raises'))
        problems.push('hashlib.md5() works: a non-FIPS hash is reachable for security use');
    if (p.md5NotForSecurity !== 'works')
        problems.push(`hashlib.md5(usedforsecurity=False) ${p.md5NotForSecurity}`);
    if (p.sha256 !== 'works')
        problems.push(`hashlib.sha256() ${p.sha256}`);
    if (p.builtinHashes.length > 0)
        problems.push(`built-in hash modules import: ${p.builtinHashes.join(', ')}`);
    const provider = fips.providers.find((x) => x.id === 'fips');
    if (!provider)
        problems.push("no FIPS provider is loaded by the runtime's configuration");
    else if (provider.status !== 'active')
        problems.push(`the FIPS provider is ${provider.status ?? 'not active'}`);
    else if (provider.version !== providerVersion)
        problems.push(`the FIPS provider is version ${provider.version}, not ${providerVersion}`);
    if (!fips.install)
        problems.push('fipsinstall has not run for this install');
    return problems;
}
/** A free-threaded request gets a free-threaded build running without the GIL; a GIL request never gets one. */
function threadingProblems(seen, freethreaded) {
    if (!freethreaded)
        return seen.freeThreaded ? ['it is a free-threaded build (Py_GIL_DISABLED is 1); the GIL build was asked for'] : [];
    if (!seen.freeThreaded)
        return ['it is not a free-threaded build (Py_GIL_DISABLED is not 1)'];
    return seen.gilEnabled ? ['sys._is_gil_enabled() is True in a free-threaded build: the GIL is on'] : [];
}
/** libssl/libcrypto a shared object links dynamically, per ldd (Linux) or otool -L (macOS). */
async function linkedTlsLibraries(file) {
    const [cmd, args] = process.platform === 'darwin' ? ['otool', ['-L', file]] : ['ldd', [file]];
    const run = await (0,shared_process/* runProcess */.R3)(cmd, args, { timeoutMs: 30_000 }).catch(() => undefined);
    if (run?.code !== 0)
        return [];
    return run.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /(^|\/)lib(ssl|crypto)[.-]/.test(line.split(/\s+/)[0] ?? ''))
        .map((line) => process.platform === 'darwin' ? line.split(/\s+/)[0] : (/=>\s*(\S+)/.exec(line)?.[1] ?? line.split(/\s+/)[0]));
}

;// CONCATENATED MODULE: ./src/runtime/hardened.ts












/**
 * Builds the hardened runtime that the tool cache lacks: OpenSSL first unless found (its own
 * entry, shared by every CPython built on it), then CPython against it. A build is verified
 * before its entry is marked complete; a failure leaves no entry behind.
 */
async function buildHardenedRuntime(plan) {
    const foundOpenssl = findEntry(plan.openssl.entry);
    // Made once a build starts (buildEntry), so a failed download leaves no empty folder.
    const logDir = external_node_path_default().join((0,cancellation/* tempRoot */.fQ)(), 'tls-floor-logs');
    const opensslPrefix = foundOpenssl ??
        (await buildEntry(plan.openssl, 'OpenSSL', plan.jobs, logDir, async (prefix, ctx) => {
            await buildOpenssl(plan, prefix, ctx);
            const problems = checkOpensslInstall(prefix, Boolean(plan.openssl.fips));
            const version = await installedOpensslVersion(prefix);
            if (version !== plan.openssl.source.version)
                problems.push(`the headers say OpenSSL ${version}, not ${plan.openssl.source.version}`);
            if (problems.length)
                throw new Error(`the OpenSSL build failed verification: ${problems.join('; ')}`);
        }));
    if (foundOpenssl)
        core/* info */.pq(`Found OpenSSL ${plan.openssl.source.version} in the tool cache: ${foundOpenssl}`);
    let verification;
    const label = plan.python.freethreaded ? 'free-threaded CPython' : 'CPython';
    const prefix = await buildEntry(plan.python, label, plan.jobs, logDir, async (prefix, ctx) => {
        await buildPython(plan, prefix, opensslPrefix, ctx);
        if (plan.openssl.fips)
            await timedGroup('Install the FIPS module (fipsinstall)', () => installFips(opensslPrefix, prefix));
        verification = await timedGroup('Verify the new runtime', () => verifyPlanned(plan, prefix, opensslPrefix));
    });
    return hardenedRuntime(prefix, opensslPrefix, { python: false, openssl: Boolean(foundOpenssl) }, verification);
}
/** The runtime at `prefix` verified as the plan says it is: its OpenSSL (at `opensslPrefix`), its floor. */
function verifyPlanned(plan, prefix, opensslPrefix) {
    return verifyRuntime(pythonExecutable(prefix), {
        pythonVersion: plan.python.source.version,
        opensslVersion: plan.openssl.source.version,
        floor: plan.floor,
        opensslPrefix,
        freethreaded: Boolean(plan.python.freethreaded),
        ...(plan.openssl.fips ? { fips: { providerVersion: plan.openssl.fips.provider.version } } : {}),
    });
}
/** The runtime as the action hands it out, once verified. */
function hardenedRuntime(prefix, opensslPrefix, found, verification) {
    return { python: pythonExecutable(prefix), prefix, opensslPrefix, found, verification };
}
/**
 * Both entries complete in the tool cache, verified again (cheap, and a cached runtime is
 * trusted no more than a new one). Undefined when either is missing. A FIPS runtime restored
 * from elsewhere (`restored`), or whose FIPS install is not this one's, runs fipsinstall first.
 */
async function findCachedRuntime(plan, { restored = false } = {}) {
    const opensslPrefix = findEntry(plan.openssl.entry);
    const prefix = opensslPrefix ? findEntry(plan.python.entry) : undefined;
    if (!opensslPrefix || !prefix)
        return undefined;
    core/* info */.pq(`Found ${cpythonName(plan)} on OpenSSL ${plan.openssl.source.version} in the tool cache: ${prefix}`);
    if (plan.openssl.fips && (restored || !currentFipsInstall(opensslPrefix, prefix)))
        await timedGroup('Install the FIPS module (fipsinstall)', () => installFips(opensslPrefix, prefix));
    const verification = await timedGroup('Verify the cached runtime', () => verifyPlanned(plan, prefix, opensslPrefix));
    return hardenedRuntime(prefix, opensslPrefix, { python: true, openssl: true }, verification);
}
/**
 * Downloads, verifies and extracts the source, builds straight into the final tool-cache
 * folder (the prefix is baked in), and marks the entry complete only after `build` (which
 * verifies) succeeded. Any failure removes the folder: the next run starts clean.
 */
async function buildEntry(part, label, jobs, logDir, build) {
    const { entry, source } = part;
    const version = source.version;
    const folder = await (0,cancellation/* workFolder */.kR)((0,cancellation/* tempRoot */.fQ)(), `tls-floor-${source.name}-`);
    const work = folder.path;
    const logFile = external_node_path_default().join(logDir, `${source.name}-${version}-build.log`);
    try {
        const srcDir = await timedGroup(`Download and verify ${label} ${version}`, () => fetchSource(source, work));
        await (0,promises_.mkdir)(logDir, { recursive: true });
        const prefix = await beginEntry(entry);
        try {
            await timedGroup(`Build ${label} ${version} (${jobs} jobs)`, () => build(prefix, { srcDir, logFile, env: process.env }));
        }
        catch (error) {
            await discardEntry(entry);
            throw error;
        }
        return await completeEntry(entry, {
            builtAt: new Date().toISOString(),
            source: source.url,
            sha256: source.sha256 ?? null,
        });
    }
    finally {
        await folder.remove();
    }
}

// EXTERNAL MODULE: ./src/shared/foreign.ts
var foreign = __webpack_require__(7073);
;// CONCATENATED MODULE: ./src/runtime/prebuilt.ts















/**
 * The runtime index: one JSON file listing prebuilt runtime archives (made by create-archive,
 * indexed by `npm run runtime-index`). An entry serves a request only on an exact match of
 * the build identity the tool cache and the cross-run cache already key on: versions and
 * source checksums, floor, options (OPENSSLDIR among them), build format and platform.
 */
const INDEX_FORMAT = 1;
/** The index could not be read: a warning and a build, never a failure. */
class IndexUnavailable extends Error {
    name = 'IndexUnavailable';
}
/** Reads and checks the index at a URL (http(s), file:) or a path, within the index's limits (limits.ts). */
async function readIndex(location) {
    let text;
    const remote = /^https?:/.test(location);
    const work = await (0,cancellation/* workFolder */.kR)((0,cancellation/* tempRoot */.fQ)(), 'tls-floor-index-');
    try {
        const from = remote || location.startsWith('file:') ? location : external_node_path_default().resolve(location);
        await download(from, external_node_path_default().join(work.path, 'index.json'), { kind: 'index' });
        text = await (0,promises_.readFile)(external_node_path_default().join(work.path, 'index.json'), 'utf8');
    }
    catch (error) {
        throw new IndexUnavailable(`cannot ${remote ? 'fetch' : 'read'} ${location}: ${(0,errors/* describeError */.Uc)(error)}`);
    }
    finally {
        await work.remove();
    }
    let index;
    try {
        index = JSON.parse(text);
    }
    catch {
        throw new IndexUnavailable(`${location} is not JSON`);
    }
    if (index?.format !== INDEX_FORMAT || !Array.isArray(index.runtimes)) {
        throw new IndexUnavailable(`${location} is not a runtime index of format ${INDEX_FORMAT}`);
    }
    return index;
}
/** An entry's archive URL, resolved against the index's location when relative. */
function entryUrl(entry, location) {
    if (/^(https?|file):/.test(entry.url))
        return entry.url;
    const base = /^(https?|file):/.test(location) ? location : (0,external_node_url_.pathToFileURL)(external_node_path_default().resolve(location)).href;
    return new URL(entry.url, base).href;
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopback = (url) => LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
/**
 * Why an index may not list this archive URL, or undefined. An index lists archives of its
 * own kind: one fetched over http(s) lists https archives (http ones only when index and
 * archive are both on a loopback address, as in tests), never a file on this runner; one
 * read from this runner (the action's own runtimes/index.json among them) lists https archives
 * (http ones only on a loopback address) or files in its own folder, links resolved.
 */
async function archiveUrlProblem(url, location) {
    const archive = new URL(url);
    // https is fetched from anywhere, by any index (the action's own in-tree index lists release URLs);
    // http only between loopback addresses; a local file only from an index in the same folder.
    if (archive.protocol === 'https:')
        return undefined;
    if (/^https?:/.test(location)) {
        const index = new URL(location);
        if (archive.protocol === 'http:' && index.protocol === 'http:' && isLoopback(index) && isLoopback(archive))
            return undefined;
        return `an index at ${index.protocol}// may list only https archives (http ones only on a loopback address, beside a loopback index), not ${(0,errors/* clip */.$Q)(archive.href, 200)}`;
    }
    const indexFile = location.startsWith('file:') ? (0,external_node_url_.fileURLToPath)(location) : external_node_path_default().resolve(location);
    // http on a loopback address too: the publish rehearsal serves the release there.
    if (archive.protocol === 'http:' && isLoopback(archive))
        return undefined;
    if (archive.protocol !== 'file:')
        return `an index read from this runner may list only https archives or archives in its own folder, not ${(0,errors/* clip */.$Q)(archive.href, 200)}`;
    const real = async (p) => (0,promises_.realpath)(p).catch(() => external_node_path_default().resolve(p));
    const folder = await real(external_node_path_default().dirname(indexFile));
    const file = await real((0,external_node_url_.fileURLToPath)(archive));
    const inside = external_node_path_default().relative(folder, file);
    if (inside === '' || inside.startsWith('..') || external_node_path_default().isAbsolute(inside))
        return `${(0,errors/* clip */.$Q)(file, 200)} is not in the index's folder ${folder} (links resolved); an index read from this runner may list only https archives or archives in its own folder`;
    return undefined;
}
/** Identities are compared by value: an index re-serialised with other key order still matches. */
const same = (a, b) => (0,external_node_util_.isDeepStrictEqual)(a, b);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/**
 * Every entry is an object with an identity of two objects, or the index is refused in one
 * line naming it and the entry (a null entry is not a TypeError, and not skipped silently).
 */
function checkEntries(index, location) {
    const count = index.runtimes.length;
    index.runtimes.forEach((entry, i) => {
        const which = `entry ${i + 1} of ${count}`;
        if (!isObject(entry)) {
            const kind = entry === null ? 'null' : Array.isArray(entry) ? 'an array' : `a ${typeof entry}`;
            throw new errors/* Refusal */.P_('index', `${which} in ${location} is ${kind}, not an object with url, sha256, bytes and identity; nothing was installed.`);
        }
        const identity = entry['identity'];
        if (!isObject(identity) || !isObject(identity['python']) || !isObject(identity['openssl'])) {
            const named = typeof entry['url'] === 'string' ? ` (${(0,errors/* clip */.$Q)(entry['url'], 100)})` : '';
            throw new errors/* Refusal */.P_('index', `${which}${named} in ${location} has no identity object with python and openssl; nothing was installed.`);
        }
    });
}
/**
 * The entry that serves this plan exactly, or why none does (one line). An index may list a
 * runtime twice, as .tar.zst and as .tar.gz: the zstd one where this Node.js reads zstd.
 */
function matchEntry(index, plan) {
    const exact = index.runtimes.filter((e) => same(e.identity?.python, plan.python.entry.identity) && same(e.identity?.openssl, plan.openssl.entry.identity));
    const readable = (e) => (e.compression ?? 'gzip') === 'gzip' || archiveCompression() === 'zstd';
    const preferred = exact.find((e) => e.compression === archiveCompression()) ?? exact.find(readable) ?? exact[0];
    if (preferred)
        return { entry: preferred };
    const p = plan.platform;
    const want = `${cpythonName(plan)} / OpenSSL ${plan.openssl.source.version} / TLS ${plan.floor} on ${p.os} ${p.osRelease} ${p.arch}`;
    return { miss: `no prebuilt runtime for ${want}${closest(index.runtimes, plan)}; building from source` };
}
/**
 * What separates the nearest entry from the request, or nothing when the index is empty. Each
 * of the index's fields is foreign text, made safe for the log here, where it is quoted (the
 * one place an entry's fields reach the log; urls go through clip()).
 */
function closest(entries, plan) {
    const p = plan.platform;
    const f = (value) => (0,foreign/* foreign */.V)(typeof value === 'string' ? value : String(value), { max: 40 });
    const differences = (e) => {
        const d = [];
        if (e.platform?.os !== p.os || e.platform?.osRelease !== p.osRelease || e.platform?.arch !== p.arch) {
            d.push(`platform ${f(e.platform?.os)} ${f(e.platform?.osRelease)} ${f(e.platform?.arch)}`);
        }
        if (e.python !== plan.python.source.version)
            d.push(`CPython ${f(e.python)}`);
        if (Boolean(e.freethreaded) !== Boolean(plan.python.freethreaded))
            d.push(e.freethreaded ? 'free-threaded' : 'with the GIL');
        if (e.openssl !== plan.openssl.source.version)
            d.push(`OpenSSL ${f(e.openssl)}`);
        if (e.floor !== plan.floor)
            d.push(`TLS ${f(e.floor)}`);
        if (d.length === 0) {
            // Each part on its own (both have sha256, options, format): 'CPython sha256', 'OpenSSL options'.
            const keys = ['python', 'openssl'].flatMap((part) => {
                const ours = plan[part].entry.identity;
                const theirs = e.identity[part];
                const label = part === 'python' ? 'CPython' : 'OpenSSL';
                return Object.keys({ ...ours, ...theirs })
                    .filter((k) => !same(ours[k], theirs[k]))
                    .map((k) => `${label} ${(0,errors/* clip */.$Q)(k, 40)}`);
            });
            d.push(`build identity (${keys.join(', ')})`);
        }
        return d;
    };
    const ranked = entries.map(differences).sort((a, b) => a.length - b.length);
    return ranked[0]
        ? ` in the index (${entries.length} entries; nearest differs in ${ranked[0].join(', ')})`
        : ' in the index (it is empty)';
}
/** The index, or why it is unavailable; any other error is thrown. */
async function readIndexOrWhy(location) {
    return readIndex(location).catch((error) => {
        if (error instanceof IndexUnavailable)
            return error;
        throw error;
    });
}
/**
 * The archive the index offers for this plan, or undefined (a miss, or no index to read:
 * one line says which, and the caller builds). A malformed entry is an error.
 */
async function findPrebuilt(index, plans) {
    return timedGroup('Look up the runtime index', async () => {
        const read = index.read ?? (await readIndexOrWhy(index.location));
        if (read instanceof IndexUnavailable) {
            // A named index that cannot be read is worth a warning; the default one (a tree
            // without runtimes/index.json) only a line in the log.
            const line = `runtime-index: ${read.message}; building from source.`;
            if (index.explicit)
                core/* warning */.$e(line);
            else
                core/* info */.pq(line);
            return undefined;
        }
        checkEntries(read, index.location);
        const matches = plans.map((plan) => ({ plan, match: matchEntry(read, plan) }));
        const found = matches.find((m) => 'entry' in m.match);
        if (!found || !('entry' in found.match)) {
            // The miss of the preferred plan: what the index would need to hold.
            const first = matches[0]?.match;
            core/* info */.pq(first && 'miss' in first ? first.miss : 'no prebuilt runtime; building from source');
            return undefined;
        }
        const { plan } = found;
        const { entry } = found.match;
        // Like the digest inputs: either case, normalised.
        const sha256 = typeof entry.sha256 === 'string' ? entry.sha256.toLowerCase() : '';
        if (!(0,shared_sha256/* isSha256 */._)(sha256) || !Number.isInteger(entry.bytes) || entry.bytes <= 0) {
            throw new errors/* Refusal */.P_('index', `the entry for ${(0,errors/* clip */.$Q)(String(entry.url), 100)} in ${index.location} has no valid sha256 and bytes; nothing was installed.`);
        }
        const compression = entry.compression ?? 'gzip';
        if (!COMPRESSIONS.includes(compression)) {
            throw new errors/* Refusal */.P_('index', `the entry for ${(0,errors/* clip */.$Q)(String(entry.url), 100)} in ${index.location} names the compression ${(0,errors/* clip */.$Q)(JSON.stringify(compression), 20)}, not ${COMPRESSIONS.join(' or ')}; nothing was installed.`);
        }
        const url = entryUrl(entry, index.location);
        const refusal = await archiveUrlProblem(url, index.location);
        if (refusal) {
            throw new errors/* Refusal */.P_('index', `the entry for ${(0,errors/* clip */.$Q)(entry.url, 200)} in ${index.location} is refused: ${refusal}; nothing was downloaded.`);
        }
        core/* info */.pq(`Prebuilt runtime in the index: ${url} (${(entry.bytes / 1048576).toFixed(1)} MiB, sha256 ${sha256})`);
        return { url, sha256, bytes: entry.bytes, compression, plan };
    });
}
/** A downloaded archive whose size is not the index's: refused before anything is unpacked. */
async function checkArchiveSize(file, url, origin) {
    if (origin.bytes === undefined)
        return;
    const { size } = await (0,promises_.stat)(file);
    if (size === origin.bytes)
        return;
    await (0,promises_.rm)(file, { force: true });
    throw new errors/* Refusal */.P_(origin.subject, `size mismatch for ${url}: the index says ${origin.bytes} bytes, got ${size}. Nothing was extracted or cached.`);
}
/** Why the archive's own plan is not the one the index entry was matched to. */
function planMismatch(held, want) {
    if (!same(held.python.entry.identity, want.python.entry.identity) ||
        !same(held.openssl.entry.identity, want.openssl.entry.identity)) {
        return 'its manifest names another build identity than the index entry it was listed under';
    }
    return undefined;
}
/** After an install under another root: the runtime must know its new place (relocate.ts). */
async function verifyRelocation(python, prefix, builtRoot, plan) {
    if (!isRelocatable(plan))
        return;
    const problems = await relocationProblems(python, prefix, builtRoot);
    if (problems.length > 0)
        throw new VerificationError(`the runtime at ${prefix} does not work where it was installed: ${problems.join('; ')}.`);
}

;// CONCATENATED MODULE: ./src/runtime/provenance.ts


/** The workflow that builds and attests the published runtimes, in the repository that publishes them. */
const SIGNER_WORKFLOW = '.github/workflows/publish-runtimes.yml';
/**
 * verify-provenance: before a downloaded runtime archive is unpacked, its build-provenance
 * attestation (made by actions/attest-build-provenance in publish-runtimes.yml) must verify
 * with the gh CLI for the repository that published it and for that workflow
 * (--signer-workflow): the archive's digest was attested by a GitHub Actions run of
 * publish-runtimes.yml in that repository, signed through Sigstore, not by any other
 * workflow there. It does not prove what the build did: verification and the probe do that.
 * `token`: the action's token input, given to gh as GH_TOKEN.
 */
async function verifyProvenance(file, url, repo, token) {
    const args = ['attestation', 'verify', file, '--repo', repo, '--signer-workflow', `${repo}/${SIGNER_WORKFLOW}`];
    // The token input (default: the workflow's token) is gh's GH_TOKEN; without one, the step's own env.
    const env = token ? { ...process.env, GH_TOKEN: token } : process.env;
    const run = await (0,shared_process/* runProcess */.R3)('gh', args, { timeoutMs: 120_000, env }).catch((error) => {
        if (error.code === 'ENOENT') {
            throw new errors/* Refusal */.P_('provenance', 'the gh CLI is not on PATH (GitHub-hosted runners carry it); install it, or set ', (0,errors/* mention */.lE)('provenance'), ': false.');
        }
        throw error;
    });
    if (run.code !== 0) {
        const why = (0,shared_process/* lastLine */.fM)(run.stderr || run.stdout) ?? `exit ${run.code}`;
        throw new errors/* Refusal */.P_('provenance', `the build provenance of ${url} does not verify for ${repo}: ${why}. Nothing was extracted or cached.`);
    }
}

;// CONCATENATED MODULE: ./src/runtime/sources/archive_install.ts




















/** A refusal of the given archive is the index's when the index listed it (the same `why`). */
function asOrigin(error, source, origin) {
    return error instanceof ArchiveRefused && origin.subject === 'index' ? refusedByIndex(source, ...error.why) : error;
}
function refusedByIndex(source, ...why) {
    return new errors/* Refusal */.P_('index', `the archive at ${source.url} is refused: `, ...why, '.');
}
/**
 * Downloads an archive (given, or a runtime-index entry): size and checksum first (and
 * provenance when asked), then its manifest and the names of its members, extracting nothing.
 */
async function fetchArchive(source, origin, build) {
    const folder = await (0,cancellation/* workFolder */.kR)((0,cancellation/* tempRoot */.fQ)(), 'tls-floor-archive-');
    try {
        const file = external_node_path_default().join(folder.path, 'runtime.tar.archive'); // .tar.zst or .tar.gz: its magic bytes say
        const contents = await timedGroup('Download and verify the runtime archive', async () => {
            // An index entry's archive is cut at the size the index gives; a given one at the limit for archives.
            const cap = origin.bytes ? { maxBytes: origin.bytes, capFrom: 'the size the index gives' } : {};
            const laps = stopwatch();
            await laps.time('download', () => download(source.url, file, { kind: 'archive', subject: origin.subject, ...cap }));
            await laps.time('size and checksum', async () => {
                await checkArchiveSize(file, source.url, origin);
                await verifyDigest(file, source.url, { sha256: source.sha256, subject: origin.digestSubject });
            });
            const compression = await compressionOf(file);
            if (origin.compression && compression !== origin.compression)
                throw refusedByIndex(source, `the index says it is ${origin.compression}-compressed, it is ${compression}`);
            if (build.provenance)
                await laps.time('provenance', () => verifyProvenance(file, source.url, build.provenance.repo, build.provenance.token));
            const read = await laps.time('listing', () => readArchive(file));
            core/* info */.pq(laps.line());
            return read;
        }).catch((error) => Promise.reject(asOrigin(error, source, origin)));
        return { source, origin, folder, file, contents };
    }
    catch (error) {
        await folder.remove();
        throw error;
    }
}
/**
 * Installs a fetched archive: the manifest, untrusted even so, must describe exactly the
 * entries this action would make for the request, and every member must lie inside them;
 * only then are those entries replaced and unpacked, and the runtime is verified (and its
 * relocation checked) before it is marked complete. The runtime is `named` as its source,
 * or `tool-cache` when the tool cache held it already.
 */
async function installArchive(fetched, build, floor, named) {
    try {
        return await install(fetched, build, floor, named);
    }
    finally {
        await fetched.folder.remove();
    }
}
async function install({ source, origin, file, contents }, build, floor, named) {
    const root = toolCacheRoot();
    let plan;
    try {
        plan = trustedPlan(contents.manifest, await archiveRequest(build, floor, root));
    }
    catch (error) {
        throw asOrigin(error, source, origin);
    }
    const identityMismatch = origin.plan && planMismatch(plan, origin.plan);
    if (identityMismatch)
        throw refusedByIndex(source, identityMismatch);
    const folders = memberFolders(plan);
    const problem = memberProblem(contents.members, folders);
    if (problem)
        throw new errors/* Refusal */.P_(origin.subject, `the archive is refused: ${problem}. Nothing was extracted.`);
    const fromArchive = origin.subject === 'archive';
    const cached = await findCachedRuntime(plan);
    if (cached)
        return { plan, runtime: cached, source: 'tool-cache', built: false, fromArchive };
    const entries = [plan.openssl.entry, plan.python.entry];
    for (const entry of entries)
        await openEntry(entry);
    try {
        const runtime = await timedGroup('Install and verify the runtime archive', async () => {
            const laps = stopwatch();
            await (0,promises_.mkdir)(root, { recursive: true }); // a build creates it too; tar -C needs it
            await laps.time('unpack', () => extractMembers(file, contents.compression, folders, root));
            const [opensslPrefix, prefix] = entries.map(entryDir);
            // This machine's FIPS install: the archive's fipsmodule.cnf and paths are another's.
            if (plan.openssl.fips)
                await laps.time('fipsinstall', () => installFips(opensslPrefix, prefix));
            // Independent checks, run side by side (each starts its own interpreter).
            const [verification] = await Promise.all([
                laps.time('verification', () => verifyPlanned(plan, prefix, opensslPrefix)),
                laps.time('relocation check', () => verifyRelocation(pythonExecutable(prefix), prefix, String(contents.manifest.toolCacheRoot), plan)),
            ]);
            core/* info */.pq(`${laps.line()} (the two checks side by side)`);
            for (const entry of entries)
                await completeEntry(entry, { installedFrom: source.url, archiveSha256: source.sha256 });
            return hardenedRuntime(prefix, opensslPrefix, { python: false, openssl: false }, verification);
        });
        return { plan, runtime, source: named, built: false, fromArchive };
    }
    catch (error) {
        for (const entry of entries)
            await discardEntry(entry);
        throw error;
    }
}
/** What the request asks of an archive's manifest, on this runner (archive/trust.ts). */
async function archiveRequest(build, floor, root) {
    const asked = (part) => {
        const given = build[part];
        if (!given.given)
            return {};
        const threading = given.freethreaded ? { freethreaded: true } : {};
        return { [part]: { spec: given.spec, ...(given.syntax ? { syntax: given.syntax } : {}), ...threading } };
    };
    return {
        ...asked('python'),
        ...asked('openssl'),
        floor,
        platform: await detectPlatform(),
        jobs: build.jobs,
        root,
        opensslDir: await systemOpensslDir(),
        ...(build.fips ? { fips: build.fips } : {}),
    };
}

;// CONCATENATED MODULE: ./src/runtime/sources/archive_url.ts

const GIVEN = { subject: 'archive', digestSubject: 'archive-checksum' };
/** runtime-archive-url: the one archive given, with its pinned checksum; when given, the only source. */
function archiveUrl(archive) {
    return {
        name: 'archive',
        proves: 'its bytes are the ones runtime-archive-sha256 pins (and attested, with provenance); its manifest names exactly the entries this action would make',
        writes: true,
        async find() {
            return archive;
        },
        fetch: (given, wanted) => fetchArchive(given, GIVEN, wanted.build),
        install: (fetched, wanted) => installArchive(fetched, wanted.build, wanted.floor, 'archive'),
    };
}

;// CONCATENATED MODULE: ./src/runtime/sources/build.ts

/** A build from source: OpenSSL (unless the tool cache has it), then CPython against it (hardened.ts). */
const build = {
    name: 'built',
    proves: 'it was compiled here from sources whose checksums were verified (unless allow-unverified-source)',
    writes: true,
    async find(wanted) {
        return wanted.plan();
    },
    // Nothing yet: each part's source is downloaded and verified as its build begins, and an
    // OpenSSL the tool cache holds needs none.
    async fetch(plan) {
        return plan;
    },
    async install(plan) {
        const runtime = await buildHardenedRuntime(plan);
        return { plan, runtime, source: 'built', built: true, fromArchive: false };
    },
};

;// CONCATENATED MODULE: ./src/runtime/sources/cross_run.ts






/** The cross-run cache (crossrun.ts): the tool-cache entries of the build on demand, restored by their key. */
function crossRun(cache) {
    return {
        name: 'cross-run',
        proves: 'a run of this repository built it from the plan its cache key names, and its probe passed',
        writes: true,
        async find(wanted) {
            return wanted.plan();
        },
        async fetch(plan) {
            // A restore cancelled half-way (the cache library's own tar writes into the tool cache) is removed.
            const absent = [plan.openssl.entry, plan.python.entry].filter((e) => !isComplete(e)).map(entryDir);
            const restoring = absent.flatMap((dir) => [dir, `${dir}.complete`]).map(cancellation/* ownUntilDone */.r1);
            const restored = await timedGroup('Restore from the cross-run cache', () => restoreRuntime(cache, plan));
            for (const release of restoring)
                release();
            return restored ? plan : undefined;
        },
        async install(plan) {
            const runtime = await findCachedRuntime(plan, { restored: true });
            if (runtime)
                return { plan, runtime, source: 'cross-run', built: false, fromArchive: false };
            core/* warning */.$e('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
            return undefined;
        },
    };
}

;// CONCATENATED MODULE: ./src/runtime/sources/runtime_index.ts


/** runtime-index (prebuilt.ts): an entry that matches a plan exactly installs like an archive; a miss passes on. */
function runtimeIndex(index) {
    return {
        name: 'prebuilt',
        proves: 'its bytes and size are the ones the index lists for this exact plan (and attested, with provenance); its manifest holds that plan',
        writes: true,
        async find(wanted) {
            return findPrebuilt(index, await wanted.plans());
        },
        fetch: (listed, wanted) => fetchArchive(listed, {
            subject: 'index',
            digestSubject: 'index',
            bytes: listed.bytes,
            plan: listed.plan,
            compression: listed.compression,
        }, wanted.build),
        install: (fetched, wanted) => installArchive(fetched, wanted.build, wanted.floor, 'prebuilt'),
    };
}

;// CONCATENATED MODULE: ./src/runtime/sources/tool_cache.ts

/** The runner's tool cache: both entries complete, for the first plan the request accepts that has them. */
const toolCache = {
    name: 'tool-cache',
    proves: 'its entries were marked complete only after the run that made them verified them',
    writes: false,
    async find(wanted) {
        // optimize: auto takes an optimized runtime where one is at hand.
        for (const plan of await wanted.plans()) {
            const runtime = await findCachedRuntime(plan);
            if (runtime)
                return { plan, runtime };
        }
        return undefined;
    },
    async fetch(cached) {
        return cached;
    },
    async install({ plan, runtime }) {
        return { plan, runtime, source: 'tool-cache', built: false, fromArchive: false };
    },
};

;// CONCATENATED MODULE: ./src/runtime/sources/order.ts





/**
 * The sources to try, most local first: the given archive alone; else the tool cache, the
 * cross-run cache, the runtime index (an exact match), a build. A new source takes its
 * place here.
 */
function sourcesFor(chosen) {
    if (chosen.archive)
        return [archiveUrl(chosen.archive)];
    return [
        toolCache,
        ...(chosen.cache ? [crossRun(chosen.cache)] : []),
        ...(chosen.index ? [runtimeIndex(chosen.index)] : []),
        build,
    ];
}

;// CONCATENATED MODULE: ./src/runtime/obtain.ts













/** Turns the build inputs into a plan, refusing what cannot work before any download. */
async function planFromInputs(build, floor) {
    if (build.allowUnverifiedSource)
        core/* warning */.$e('allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.');
    return planOf(build, floor);
}
/** The plan of these inputs, said nothing about (prebuilt-spec.ts weighs candidates with it). */
async function planOf(build, floor) {
    const problem = (0,compat/* incompatibility */.Iu)(build.python.version, build.openssl.version);
    if (problem)
        throw new errors/* Refusal */.P_('versions', problem);
    const spec = (name, template) => sourceSpec(name, build[name], (0,versions/* findRelease */.dv)(name, build[name].version), template, build.allowUnverifiedSource);
    const python = spec('python', PYTHON_URL_TEMPLATE);
    const openssl = spec('openssl', OPENSSL_URL_TEMPLATE);
    const fips = build.fips && fipsProviderSource(build);
    const platform = await detectPlatform();
    return planBuild({
        floor,
        platform,
        jobs: build.jobs,
        python,
        openssl,
        pythonOptions: pythonOptions(build.python.version, platform.os, build.python.freethreaded, build.optimize, Boolean(fips)),
        ...(build.optimize ? { optimize: build.optimize } : {}),
        opensslDir: await systemOpensslDir(),
        ...(build.python.freethreaded ? { freethreaded: true } : {}),
        ...(fips ? { fips } : {}),
    });
}
/** fips: true: the provider release's source (a mirror's template as for openssl), after what cannot work is refused. */
function fipsProviderSource(build) {
    const version = build.fips.providerVersion;
    const problem = fipsIncompatibility(build.python.version, build.openssl.version, version);
    if (problem)
        throw new errors/* Refusal */.P_('fips', problem);
    const input = {
        version,
        spec: version,
        given: true,
        ...(build.openssl.urlTemplate ? { urlTemplate: build.openssl.urlTemplate } : {}),
    };
    return sourceSpec('openssl', input, (0,versions/* findRelease */.dv)('openssl', version), OPENSSL_URL_TEMPLATE, build.allowUnverifiedSource);
}
/**
 * The plans a request accepts, the preferred first: the one optimization asked for, or with
 * optimize: auto (undefined) the optimized build (pgo-lto), then `plan`, the build on demand.
 */
async function plansOf(build, floor, plan) {
    const onDemand = plan ?? (await planOf(build, floor));
    if (build.optimize)
        return [onDemand];
    return [await planOf({ ...build, optimize: 'pgo-lto' }, floor), onDemand];
}
/**
 * The hardened runtime, from the first source that has it (sources/order.ts: the given
 * archive, else the tool cache, the cross-run cache, the runtime index, a build). Whatever the
 * source, it is verified. The plans are made when a source first needs them (the given
 * archive's manifest names its own).
 */
async function obtainRuntime(build, floor, chosen) {
    return obtainFrom(sourcesFor(chosen), wantedOf(build, floor));
}
/**
 * The runtime of the first source that installs one, each tried in three steps (find, fetch,
 * install; an undefined answer passes to the next source). The tool cache and RUNNER_TEMP are
 * checked writable once, before the first source that writes.
 */
async function obtainFrom(sources, wanted) {
    let checked = false;
    for (const source of sources) {
        if (source.writes && !checked) {
            checked = true;
            await checkWritable([
                ['RUNNER_TOOL_CACHE', toolCacheRoot()],
                ['RUNNER_TEMP', (0,cancellation/* tempRoot */.fQ)()],
            ]);
        }
        const obtained = await tryIn(source, wanted);
        if (obtained)
            return obtained;
    }
    // The build is always last, and answers or throws.
    throw new Error(`no runtime source answered (${sources.map((s) => s.name).join(', ')})`);
}
async function tryIn(source, wanted) {
    const found = await source.find(wanted);
    if (found === undefined)
        return undefined;
    const fetched = await source.fetch(found, wanted);
    if (fetched === undefined)
        return undefined;
    return source.install(fetched, wanted);
}
/** The request, its plans made once, when first asked for. */
function wantedOf(build, floor) {
    let plan;
    let plans;
    const wanted = {
        build,
        floor,
        plan: () => {
            plan ??= planFromInputs(build, floor);
            return plan;
        },
        plans: () => {
            plans ??= wanted.plan().then((onDemand) => plansOf(build, floor, onDemand));
            return plans;
        },
    };
    return wanted;
}

;// CONCATENATED MODULE: ./src/runtime/prebuilt-spec.ts





/**
 * Version specs resolve to what is prebuilt, as actions/setup-python resolves them against
 * the manifest of what it hosts: a line or a range (3.13, >=3.12 <3.14, 3, or nothing) takes
 * the newest release that the runtime index holds for this runner, floor and OpenSSL spec,
 * instead of the newest in the release table (which would be built). An exact version, a
 * checksum input, check-latest, or nothing prebuilt that matches: the inputs stay as resolved
 * against the table (inputs.ts), and the runtime is built unless the index holds exactly that.
 */
async function preferPrebuilt(build, floor, index) {
    if (build.checkLatest || build.archive || !(flexible('python', build.python) || flexible('openssl', build.openssl))) {
        return { build, index };
    }
    const read = index.read ?? (await readIndexOrWhy(index.location));
    const withRead = { ...index, read };
    if (read instanceof IndexUnavailable)
        return { build, index: withRead };
    const chosen = await newestPrebuilt(build, floor, read);
    if (!chosen)
        return { build, index: withRead };
    core/* info */.pq(choiceLine(build, chosen, floor, (await planOf(chosen, floor)).platform));
    return { build: chosen, index: withRead };
}
/** A spec the index may choose within: not an exact version, nor pinned by a checksum. */
function flexible(project, source) {
    return !source.sha256 && !(0,versions/* isExactVersion */.Yb)(project, source.spec);
}
/** The candidates of one component: every release its spec matches (one, when it is fixed). */
function candidates(project, source) {
    if (!flexible(project, source))
        return [source.version];
    return (0,versions/* stableMatches */.zQ)(project, source.spec);
}
/** The newest CPython (then OpenSSL) the specs allow whose exact build the index holds. */
async function newestPrebuilt(build, floor, index) {
    const pythons = candidates('python', build.python);
    const openssls = candidates('openssl', build.openssl);
    // Only pairs some entry names are planned (a plan reads the platform and the system's OPENSSLDIR).
    const listed = new Set(index.runtimes.filter((e) => e?.floor === floor).map((e) => `${(0,versions/* threaded */.S6)(e.python, e.freethreaded)} ${e.openssl}`));
    for (const python of pythons) {
        for (const openssl of openssls) {
            const pair = `${(0,versions/* threaded */.S6)(python, build.python.freethreaded)} ${openssl}`;
            if (!listed.has(pair) || (0,compat/* incompatibility */.Iu)(python, openssl))
                continue;
            const request = {
                ...build,
                python: { ...build.python, version: python },
                openssl: { ...build.openssl, version: openssl },
            };
            if ((await plansOf(request, floor)).some((plan) => 'entry' in matchEntry(index, plan)))
                return request;
        }
    }
    return undefined;
}
/**
 * The one log line: "3.13 → 3.13.15: prebuilt for linux ubuntu-24.04 x64, TLS 1.2 (3.13.18 is
 * newer: check-latest: true builds it)".
 */
function choiceLine(table, chosen, floor, p) {
    const asked = (s) => {
        const spec = (0,versions/* threaded */.S6)(s.spec, s.freethreaded);
        return s.file ? `${spec} (${s.file})` : spec || 'the default';
    };
    const ssl = chosen.openssl.version;
    const what = [
        flexible('python', chosen.python)
            ? `${asked(chosen.python)} → ${chosen.python.version}`
            : `CPython ${chosen.python.version}`,
        ...(flexible('openssl', chosen.openssl) ? [`OpenSSL ${asked(chosen.openssl)} → ${ssl}`] : []),
    ].join(', ');
    const newer = [
        table.python.version !== chosen.python.version ? table.python.version : '',
        table.openssl.version !== ssl ? `OpenSSL ${table.openssl.version}` : '',
    ].filter(Boolean);
    const note = newer.length
        ? ` (${newer.join(' and ')} ${newer.length === 1 ? 'is' : 'are'} newer: check-latest: true builds ${newer.length === 1 ? 'it' : 'them'})`
        : '';
    return `${what}: prebuilt for ${p.os} ${p.osRelease} ${p.arch}, TLS ${floor}${note}`;
}

;// CONCATENATED MODULE: ./src/runtime/index.ts
// The build path's entry: the action (action/run.ts) loads it lazily, so a probe-only run never pays for it.







/***/ })

};
