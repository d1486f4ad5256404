// @ts-check
// How the emulator refuses: Dfns's error body and messages (research section 5), and the error every
// handler throws, answered once by the HTTP plumbing (http.mjs).
import crypto from 'node:crypto';

/** Messages from research section 5 (Dfns docs), plus the documented assumptions (emulator.mjs). */
export const MESSAGES = {
  notAuthorized: 'Not Authorized.',
  challengeInvalid: 'Challenge token is not valid.',
  noCredential: 'User does not have a credential that can be used for the application.',
  badSignature: 'Signature verification failed.',
  userActionInvalid: 'user action signature is missing or invalid',
  userActionUsed: 'user action has already been used',
  userNotFound: 'User not found',
  orgNotFound: 'Org not found',
  secondFactorRequired: 'Second factor required.',
};

export class DfnsError extends Error {
  /** @param {number} status @param {string} message @param {string} [reason] emulator-only detail, sent as header x-emulator-reason */
  constructor(status, message, reason) {
    super(message);
    this.status = status;
    this.reason = reason ?? message;
  }
}

/** @param {string} message @param {string} [reason] */
export const badRequest = (message, reason) => new DfnsError(400, message, reason);

const randomDigits = () => crypto.randomBytes(8).readBigUInt64BE().toString();

/** Dfns error body (research 5): {"error":{"id","status","message","details"}}. @param {number} status @param {string} message */
export function errorBody(status, message) {
  return { error: { id: randomDigits(), status, message, details: {} } };
}
