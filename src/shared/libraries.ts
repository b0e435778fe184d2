/**
 * The HTTP libraries the Python client can probe, each through its own default path, in the
 * report's order (the `libraries` input names them; probe/clients/python_libraries.py runs them).
 * urllib3 is the boto3 guide's own check.py; botocore is the AWS SDK's own HTTP session; awscrt
 * is the AWS Common Runtime's own TLS stack (boto3's CRT transfers, the AWS CLI v2), which the
 * runtime's OpenSSL does not constrain.
 */
export const PYTHON_LIBRARIES = ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore', 'awscrt'] as const;
export type PythonLibrary = (typeof PYTHON_LIBRARIES)[number];
