// Packages without type declarations that the tests use.
declare module 'decomment' {
  export default function decomment(text: string, options?: { space?: boolean }): string;
}
declare module 'esprima' {
  const esprima: { tokenize(text: string): { type: string; value: string }[] };
  export default esprima;
}
