// Types for inject.js (plain ESM JavaScript, so that `node bin/dfns-signer.js` runs without a build step).
export const MARKER_RE: RegExp;
export function bundleInfo(text: string): { version: string; hash: string } | undefined;
export function scriptLines(bundle: string): string[];
export function scriptEvent(bundle: string): { listen: 'prerequest'; script: { type: 'text/javascript'; exec: string[] } };
export function eventText(event: unknown): string;
export function collectionProblem(json: unknown): string | undefined;
export interface OtherSigner {
  owner: any;
  event: any;
  index: number;
  level: 'collection' | 'folder' | 'request';
  where: string;
  what: string;
  lines: number;
}
export function findOtherSigners(collection: any): OtherSigner[];
export interface InjectResult {
  collection: any;
  status: 'added' | 'replaced' | 'unchanged';
  version: string;
  hash: string;
  previous?: { version: string; hash: string };
  removed: string[];
  conflicts: string[];
  notes: string[];
}
export function injectCollection(collection: any, bundle: string, options?: { replaceOthers?: boolean }): InjectResult;
