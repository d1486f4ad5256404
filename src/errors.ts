/**
 * A signing failure as a value: what is wrong, and how the user fixes it.
 * Raised by pure code, caught once by the flow, reported once by the host adapter.
 */
export class SignerError extends Error {
  readonly what: string;
  readonly fix: string;
  constructor(what: string, fix: string) {
    super(`Dfns signer: ${what}. ${fix}`);
    this.name = 'SignerError';
    this.what = what;
    this.fix = fix;
  }
}

/** Any thrown value as a SignerError, so the user always gets the one-line contract. */
export function asSignerError(e: unknown): SignerError {
  if (e instanceof SignerError) return e;
  const detail = e && typeof e === 'object' && 'message' in e ? String((e as Error).message) : String(e);
  return new SignerError(`unexpected internal error (${detail.slice(0, 200)})`, 'Please report it with the Dfns signer version shown in the first line of the script');
}
