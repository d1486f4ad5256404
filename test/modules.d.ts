// Packages without type declarations that the tests and the bench use (@types/decomment,
// @types/esprima, @types/newman and @types/postman-collection would replace these).
declare module 'decomment' {
  export default function decomment(text: string, options?: { space?: boolean }): string;
}
declare module 'esprima' {
  const esprima: { tokenize(text: string): { type: string; value: string }[] };
  export default esprima;
}
declare module 'newman';
declare module 'postman-collection';
// Not a dependency: test/vectors/generate.mjs loads it from the directory given on its command line.
declare module 'elliptic';
declare module 'elliptic/package.json' {
  export const version: string;
}
