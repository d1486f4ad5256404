// Types for emulator.mjs (the .mjs file is plain JS with JSDoc; this file lets TypeScript tests import it).
import type { KeyObject } from 'node:crypto'

export type RouteKind = 'init' | 'complete' | 'main'

export interface Fault {
  /** HTTP status to answer (default 500, or 502 with nonJson). */
  status?: number
  /** Response body: string sent as is, object sent as JSON. Default: a Dfns error body for the status. */
  body?: string | object
  /** Wait before answering (alone: wait, then process normally). */
  delayMs?: number
  /** Answer text/html "<html>502 Bad Gateway</html>". */
  nonJson?: boolean
  /** Close the socket without answering. */
  destroy?: boolean
  /** Apply to this many requests, then clear (default: until clearFaults/reset). */
  times?: number
}

export interface RequestLogEntry {
  method: string
  /** Percent-encoded pathname, no query. */
  path: string
  /** Raw query string without '?', '' when none. */
  query: string
  /** Raw request target (path + query). */
  url: string
  /** Lowercased header names. */
  headers: Record<string, string | string[] | undefined>
  /** Raw body as UTF-8 text, '' when none. */
  body: string
  /** Status answered; 0 when the connection was destroyed by a fault. */
  status: number
}

export interface CredentialSpec {
  id: string
  /** SPKI PEM, DER Buffer or KeyObject (a private key is accepted, its public half is used). Not for Fido2. */
  publicKey?: string | Buffer | KeyObject
  kind?: 'Key' | 'Fido2'
}

export interface EmulatorOptions {
  port?: number
  host?: string
  challengeTtlSeconds?: number
  userActionTtlSeconds?: number
  orgId?: string
  onRequest?: (entry: RequestLogEntry) => void
}

export interface Emulator {
  url: string
  port: number
  orgId: string
  issuerPublicKey: KeyObject
  requests: RequestLogEntry[]
  /** The user-action tokens consumed by main requests, in order. */
  usedUserActions: string[]
  addUser(spec?: { credentials?: CredentialSpec[]; kind?: 'Pat' | 'ServiceAccount' | string; userId?: string }): {
    userId: string
    orgId: string
    token: string
  }
  token(o: { userId: string; expiresInSeconds?: number; kind?: string; claims?: Record<string, unknown> }): string
  signToken(claims: Record<string, unknown>): string
  mainRequests(): RequestLogEntry[]
  setFault(f: Partial<Record<RouteKind, Fault>>): void
  clearFaults(): void
  advanceClock(seconds: number): void
  reset(): void
  close(): Promise<void>
}

export const INIT_PATH: '/auth/action/init'
export const COMPLETE_PATH: '/auth/action'
export const MESSAGES: {
  notAuthorized: string
  challengeInvalid: string
  noCredential: string
  badSignature: string
  userActionInvalid: string
  userActionUsed: string
}
export function startEmulator(options?: EmulatorOptions): Promise<Emulator>
export function makeToken(claims: Record<string, unknown>, privateKey?: KeyObject, header?: Record<string, unknown>): string
export function decodeBase64url(s: unknown): Buffer | null
export function errorBody(status: number, message: string): {
  error: { id: string; status: number; message: string; details: Record<string, never> }
}
export function verifyAssertion(publicKey: KeyObject, digest: string, data: Buffer, signature: Buffer): boolean
export function findEndpoint(
  method: string,
  pathname: string,
): { method: string; path: string; userAction: boolean; params: number; regex: RegExp } | undefined
export function requiresUserAction(method: string, pathname: string): boolean
