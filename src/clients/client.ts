// What the flow needs from an API client. One adapter per client implements it; nothing else
// in the bundle touches a client's API.
import type { SignerError } from '../errors';
import type { RequestFacts } from '../request';

export interface HttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  text: string;
  /** The answer's headers by lower-case name, where the client shows them (Retry-After, Location). */
  headers?: Record<string, string>;
  /** True when the client followed a redirect to get this answer and says so (it cannot always be stopped). */
  redirected?: boolean;
}

/** The headers of an answer the exchange reads: when to ask again, where a redirect points. */
export const ANSWER_HEADERS = ['retry-after', 'location'];

/** Client.send's rejection when no answer came within its limit. */
export class TimedOut extends Error {
  readonly code = 'DFNS_SIGNER_TIMEOUT';
  constructor(readonly ms: number) {
    super(`no answer in ${ms / 1000} s`);
  }
}

export interface Client {
  /** A variable from any scope, resolved, undefined when unset or blank. */
  variable(name: string): string | undefined;
  /** A secret kept outside variables (Postman Vault), read only when the variable is unset. */
  vaultSecret?(name: string): Promise<string | undefined>;
  /** Resolves, ahead of request() and body(), what a client resolves only asynchronously (Apidog). */
  prepare?(): Promise<void>;
  /** The request as the client will send it, its URL's variables resolved once. Writes nothing. */
  request(): RequestFacts;
  /** The body as the client will send it, resolved once ('' for none); refuses a body Dfns cannot sign. Writes nothing. */
  body(): string;
  /** The first variable reference, as the client writes them, still in a resolved text. */
  unresolved(text: string): string | undefined;
  /** How the user writes a reference to the variable `name` in this client, for messages; `{{name}}` when absent. */
  reference?(name: string): string;
  /** Writes the resolved URL and body back once the user action is in hand, so the client sends exactly what was signed. */
  freeze(): void;
  /**
   * Replaces the body that goes out by this JSON text: the bodies the signer writes (Create Credential and
   * registration, src/creation.ts). Absent where the client cannot (Yaak's plugins add headers only).
   */
  replaceBody?(text: string): void;
  /**
   * Sends one request of the exchange; rejects only when no HTTP answer came back. Follows no redirect
   * where the client allows that (a 3xx is the answer), and gives up after `timeoutMs`, rejecting with
   * TimedOut, stopping the call where the client can.
   */
  send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse>;
  /** Waits `ms` with the client's own timer; absent where the sandbox has none (then nothing is retried). */
  sleep?(ms: number): Promise<void>;
  /**
   * Keeps the client's script running until the returned release is called, where the client would end it
   * while the signer waits between two calls (Hoppscotch ends a script when no fetch is pending).
   */
  hold?(): () => void;
  setHeader(name: string, value: string): void;
  /**
   * Keeps a token from logging in as authToken for the next requests of the run, by the client's own
   * means; says where ('the environment'), or undefined where it cannot.
   */
  keepToken?(token: string): string | undefined;
  log(line: string): void;
  /** Shows the failure where the client's user looks: a failed test, the console, a dialog. */
  report(error: SignerError): void;
  /**
   * Keeps the request from going out, by the client's own means (see entry.ts): 'skipped' when that is
   * done, 'throw' when the script itself must throw the error for the client to stop.
   */
  stop(error: SignerError): 'skipped' | 'throw';
}

/** A variable, or the Postman Vault secret of that name where the client has one. */
export async function secret(client: Client, name: string): Promise<string | undefined> {
  return client.variable(name) ?? (client.vaultSecret && (await client.vaultSecret(name)));
}
