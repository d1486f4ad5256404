// Types for generate-collections.mjs (plain ESM JavaScript run by node).
export interface Endpoint {
  group: string;
  name: string;
  method: string;
  path: string;
  userAction: boolean;
}
export const ROOT: string;
export const CATALOGUE_FILE: string;
export const BUNDLE_FILE: string;
export const GENERATED_DIRS: string[];
export const POSTMAN_SCHEMA: string;
export const COLLECTION_NAME: string;
export const VARIABLES: string[];
export const SECRET_VARIABLES: string[];
export const DEFAULT_DOMAIN: string;
export const SUBSET: string[];
export function stableUuid(key: string): string;
export function groupTitle(group: string): string;
export function endpointKey(e: { method: string; path: string }): string;
export function pathParams(path: string): string[];
export function bodyText(e: Endpoint): string | undefined;
export function postmanCollection(catalogue: Endpoint[], bundle: string): any;
export function postmanEnvironment(): any;
export function readInputs(options?: { bundleFile?: string; catalogueFile?: string }): { bundle: string; catalogue: Endpoint[] };
export function generate(inputs: { bundle: string; catalogue: Endpoint[] }): Record<string, string>;
export function compare(files: Record<string, string>, root?: string): { file: string; problem: string }[];
