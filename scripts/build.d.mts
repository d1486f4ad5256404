// Types for build.mjs (plain JS), so TypeScript tests can import it.
export const OUTFILE: string
export function sourceHash(): string
export function bundle(options?: { metafile?: boolean }): Promise<{ text: string; metafile?: unknown }>
export const SCRIPT_OPTIONS: Record<string, unknown>
export const bigintLiterals: { name: string; setup(build: unknown): void }
