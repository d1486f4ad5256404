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
}

export interface Host {
  /** A variable from any scope, undefined when unset or empty. */
  variable(name: string): string | undefined;
  /** A secret kept outside variables (Postman Vault), read only when the variable is unset. */
  vaultSecret?(name: string): Promise<string | undefined>;
  /** The request with its URL variables resolved once (and frozen, so what is sent is what is signed). */
  request(): RequestFacts;
  /** Resolves the body's variables once, writes the text back, and returns it ('' for no body). */
  freezeBody(): string;
  /** Sends one request of the exchange; rejects only when no HTTP answer came back. */
  send(request: HttpRequest): Promise<HttpResponse>;
  setHeader(name: string, value: string): void;
  log(line: string): void;
  /**
   * Records the failure so the run fails, and keeps the main request from being sent.
   * Returns the error when the client needs the script itself to throw it (top-level await clients).
   */
  fail(error: SignerError): SignerError | undefined;
}
