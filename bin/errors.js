// How a command of the CLI ends other than by success: thrown, turned into one line and an exit code
// by bin/dfns-signer.js.

/** Bad arguments or input: exit code 2. */
export class UsageError extends Error {}

/** A stop with its own exit code. */
export class Stop extends Error {
  /** @param {string} message @param {number} code the exit code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}
