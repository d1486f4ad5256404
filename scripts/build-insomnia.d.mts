// Types for build-insomnia.mjs (plain JS), so TypeScript tests can import it.
export const PLUGIN_DIR: string
/** The plugin's files by name (package.json, main.js, README.md), as the current sources build them. */
export function bundleInsomniaPlugin(): Promise<Record<string, string>>
