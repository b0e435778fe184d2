/**
 * The HTTP libraries the Python client can probe, each through its own default path, in the
 * report's order (the `libraries` input names them; probe/clients/python_libraries.py runs them).
 * urllib3 is the boto3 guide's own check.py; botocore is the AWS SDK's own HTTP session; awscrt
 * is the AWS Common Runtime's own TLS stack (boto3's CRT transfers, the AWS CLI v2), which the
 * runtime's OpenSSL does not constrain.
 */
export const PYTHON_LIBRARIES = ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore', 'awscrt'] as const;
export type PythonLibrary = (typeof PYTHON_LIBRARIES)[number];

/**
 * The HTTP clients the Node.js client can probe with `client: node`, each through its own
 * default path (probe/clients/node_libraries.cjs runs them): https.get, the built-in fetch
 * (undici's own TLS setup), and the AWS SDK for JavaScript v3 (S3Client's NodeHttpHandler).
 */
export const NODE_LIBRARIES = ['https', 'fetch', 'aws-sdk'] as const;
export type NodeLibrary = (typeof NODE_LIBRARIES)[number];

/** A library client of either kind. */
export type Library = PythonLibrary | NodeLibrary;

/** Whether a library named in `libraries` is one of the Node.js client's. */
export function isNodeLibrary(name: string): name is NodeLibrary {
  return (NODE_LIBRARIES as readonly string[]).includes(name);
}
