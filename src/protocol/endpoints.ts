/** Where the two steps of the user-action exchange go, on the Dfns API's origin (research §1). */
export const INIT_PATH = '/auth/action/init';
export const COMPLETE_PATH = '/auth/action';
/** The two steps of logging in with a Key credential (research §10): neither takes a token. */
export const LOGIN_INIT_PATH = '/auth/login/init';
export const LOGIN_PATH = '/auth/login';

// State-changing Dfns endpoints that take no user action (research §6; the official SDKs mark them
// `requires_signature=False`). A unit test checks needsUserAction against every endpoint of the catalogue.
const UNSIGNED: readonly string[] = `
POST /auth/action/init
POST /auth/action
POST /auth/login/init
POST /auth/login
POST /auth/login/code
POST /auth/login/social
POST /auth/login/oidc/init
POST /auth/login/oidc
POST /auth/login/sso/init
POST /auth/login/sso
PUT /auth/logout
POST /auth/registration/init
POST /auth/registration
POST /auth/registration/enduser
POST /auth/registration/social
PUT /auth/registration/code
POST /auth/recover/user/init
POST /auth/recover/user
POST /auth/recover/user/code
POST /auth/credentials/init
POST /auth/credentials/code/init
POST /auth/credentials/code/verify
POST /auth/tokens
POST /networks/{network}/call-function
POST /swaps/quotes
POST /payouts/quote
POST /wallets/{walletId}/canton/ledger-api`
  .trim()
  .split('\n');

const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE'];

export const isStateChanging = (method: string): boolean => STATE_CHANGING.indexOf(method) >= 0;

function matches(template: string, path: string): boolean {
  const want = template.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return false;
  for (let i = 0; i < want.length; i++) {
    if (want[i].charAt(0) === '{' ? got[i] === '' : want[i] !== got[i]) return false;
  }
  return true;
}

/** Every POST, PUT, PATCH and DELETE needs a user action, except the endpoints above. */
export function needsUserAction(method: string, path: string): boolean {
  if (!isStateChanging(method)) return false;
  for (const entry of UNSIGNED) {
    const space = entry.indexOf(' ');
    if (entry.slice(0, space) === method && matches(entry.slice(space + 1), path)) return false;
  }
  return true;
}
