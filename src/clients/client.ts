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
  /** Sends one request of the exchange; rejects only when no HTTP answer came back. */
  send(request: HttpRequest): Promise<HttpResponse>;
  setHeader(name: string, value: string): void;
  log(line: string): void;
  /** Shows the failure where the client's user looks: a failed test, the console, a dialog. */
  report(error: SignerError): void;
  /**
   * Keeps the request from going out, by the client's own means (see entry.ts): 'skipped' when that is
   * done, 'throw' when the script itself must throw the error for the client to stop.
   */
  stop(error: SignerError): 'skipped' | 'throw';
}
