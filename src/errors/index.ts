/**
 * Every way signing can fail, by a stable code: tests assert the code, and the README's
 * troubleshooting table is checked against this list (test/unit/errors.test.ts).
 */
export const ERROR_CODES = [
  // the client and the request
  'client-unsupported',
  'url-no-host',
  'url-insecure',
  'url-dot-segments',
  'url-ambiguous',
  'url-malformed',
  'template-unresolved',
  'template-empty',
  'template-dynamic',
  'body-not-json',
  'body-unwritable',
  // authToken
  'token-missing',
  'token-malformed',
  'token-expired',
  'token-conflict',
  // credentialPrivateKey and credentialId
  'key-missing',
  'key-public',
  'key-certificate',
  'key-encrypted',
  'key-foreign-format',
  'key-damaged',
  'key-unsupported',
  'key-not-a-key',
  'credential-none',
  'credential-ambiguous',
  'credential-unknown',
  // new Key credentials: Create Credential, registration
  'registration-setup',
  // logging in with the credential key (dfnsUsername)
  'login-user-unknown',
  'login-org-unknown',
  'login-org-missing',
  'login-not-credential',
  'login-second-factor',
  // the exchange with Dfns
  'dfns-unreachable',
  'dfns-refused',
  'dfns-not-api',
  'dfns-redirected',
  'dfns-timeout',
  'dfns-throttled',
  'timeout-invalid',
  // a bug
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A signing failure as a value: what is wrong, and how the user fixes it.
 * Raised by pure code, caught once by the flow, reported once by the client adapter.
 */
export class SignerError extends Error {
  readonly code: ErrorCode;
  readonly what: string;
  readonly fix: string;
  constructor(code: ErrorCode, what: string, fix: string) {
    super(`Dfns signer: ${what}. ${fix}`);
    this.name = 'SignerError';
    this.code = code;
    this.what = what;
    this.fix = fix;
  }
}

/** Any thrown value as a SignerError, so the user always gets the one-line contract. */
export function asSignerError(e: unknown): SignerError {
  if (e instanceof SignerError) return e;
  const detail = e && typeof e === 'object' && 'message' in e ? String((e as Error).message) : String(e);
  return new SignerError(
    'internal',
    `unexpected internal error (${detail.slice(0, 200)})`,
    'Please report it with the Dfns signer version shown in the first line of the script',
  );
}
