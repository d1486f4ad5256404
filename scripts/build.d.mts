// Types for build.mjs (plain JS), so TypeScript tests can import it.
export const OUTFILE: string
export function sourceHash(): string
export function bundle(options?: { metafile?: boolean }): Promise<{ text: string; metafile?: unknown }>
