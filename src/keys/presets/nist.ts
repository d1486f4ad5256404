// No precomputed base-point tables (window 1): the cheapest setting for the one signature a script
// run makes (a table costs more to build than it saves on one signature); a key's prepare() builds
// one when there is time (ec.ts).
import { p256, p384, p521 } from '@noble/curves/nist.js';

for (const curve of [p256, p384, p521]) curve.Point.BASE.precompute(1);

export { p256, p384, p521 };
