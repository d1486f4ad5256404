// @noble/curves' Ed25519 with no precomputed base-point table (window 1): the cheapest setting for
// the one signature a script run makes (a table costs more to build than it saves on one signature);
// a key's prepare() builds one when there is time (ed25519.ts).
import { ed25519 } from '@noble/curves/ed25519.js';

ed25519.Point.BASE.precompute(1);

export { ed25519 };
