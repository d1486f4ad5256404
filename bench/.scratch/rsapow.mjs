// RSA CRT signing cost in fresh contexts: micro-rsa pow as bundled (BigInt("1") calls per bit),
// the same with hoisted constants, and a fixed-window (k-ary, w=5) exponentiation.
import vm from 'node:vm';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const impls = {
  bundled: `function pow(num, power, modulo){ if (modulo <= BigInt("0") || power < BigInt("0")) throw new Error('x'); if (modulo === BigInt("1")) return BigInt("0"); let res = BigInt("1"); while (power > BigInt("0")) { if (power & BigInt("1")) res = (res * num) % modulo; num = (num * num) % modulo; power >>= BigInt("1"); } return res; }`,
  hoisted: `var _0=BigInt(0),_1=BigInt(1); function pow(num, power, modulo){ if (modulo <= _0 || power < _0) throw new Error('x'); if (modulo === _1) return _0; let res = _1; while (power > _0) { if (power & _1) res = (res * num) % modulo; num = (num * num) % modulo; power >>= _1; } return res; }`,
  window5: `function pow(b, e, m){ var W=5, t=new Array(32); t[0]=BigInt(1); t[1]=b%m; for (var i=2;i<32;i++) t[i]=(t[i-1]*t[1])%m; var s=e.toString(2); var pad=(W - s.length % W) % W; s='0'.repeat(pad)+s; var r=BigInt(1); for (var j=0;j<s.length;j+=W){ if (j) { for (var k=0;k<W;k++) r=(r*r)%m; } var d=parseInt(s.slice(j,j+W),2); if (d) r=(r*t[d])%m; } return r; }`,
  slidingHex: `function pow(b, e, m){ var t=new Array(16); t[0]=BigInt(1); t[1]=b%m; for (var i=2;i<16;i++) t[i]=(t[i-1]*t[1])%m; var s=e.toString(16); var r=t[parseInt(s[0],16)]; for (var j=1;j<s.length;j++){ r=(r*r)%m; r=(r*r)%m; r=(r*r)%m; r=(r*r)%m; var d=parseInt(s[j],16); if (d) r=(r*t[d])%m; } return r; }`,
};
for (const bits of [2048, 3072, 4096]) {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'jwk' });
  const big = (x) => BigInt('0x' + Buffer.from(x, 'base64url').toString('hex'));
  const k = { n: big(jwk.n), p: big(jwk.p), q: big(jwk.q), dp: big(jwk.dp), dq: big(jwk.dq), qi: big(jwk.qi) };
  const m = BigInt('0x' + randomBytes(bits / 8 - 1).toString('hex'));
  const expect = null;
  const res = {};
  for (let rep = 0; rep < 9; rep++) for (const [name, src] of Object.entries(impls)) {
    const ctx = vm.createContext({ k, m });
    vm.runInContext(src, ctx);
    const c0 = cpu();
    vm.runInContext('var s1=pow(m%k.p,k.dp,k.p), s2=pow(m%k.q,k.dq,k.q); var mod=function(a,b){var r=a%b;return r>=BigInt(0)?r:b+r}; var s=s2+mod(k.qi*(s1-s2),k.p)*k.q;', ctx);
    (res[name] ??= []).push(cpu() - c0);
    res[name + '_sig'] = ctx.s;
  }
  const sigs = new Set(Object.keys(impls).map((n) => String(res[n + '_sig'])));
  console.log(bits, 'agree', sigs.size === 1, Object.keys(impls).map((n) => `${n} ${res[n].sort((a, b) => a - b)[4].toFixed(1)}`).join('  '));
}
