// Packages without type declarations that the tests and the bench use (@types/decomment,
// @types/esprima and @types/newman would replace these).
declare module 'decomment' {
  export default function decomment(text: string, options?: { space?: boolean }): string;
}
declare module 'esprima' {
  const esprima: { tokenize(text: string): { type: string; value: string }[] };
  export default esprima;
}
declare module 'newman';
