// src/clients/insomnia-url.ts: the URL as Insomnia sends it. Checked three ways: against outputs of Insomnia
// 10.1.1's own smartEncodeUrl (the table, computed once by running its utils/url/querystring.ts), and
// against the harness's model of it (test/support/insomnia/sender.ts: Node's url.parse for 10.x, new URL()
// for the newest sources) over a generated corpus.
import { describe, expect, it } from 'vitest';
import { insomniaPath, insomniaPathAmbiguity, insomniaQuery, insomniaUrl } from '../../src/clients/insomnia-url';
import { smartEncodeUrl } from '../support/insomnia-harness';

// [path segment, as Insomnia 10.1.1 sends it]
const TABLE: [string, string][] = [
  ['plain', 'plain'],
  ['a|b', 'a%7Cb'],
  ['[c]', '%5Bc%5D'],
  ["'d'", '%27d%27'],
  ['^e', '%5Ee'],
  ['x&y', 'x%26y'],
  ["a|b[c]'d^e&f", 'a%7Cb%5Bc%5D%27d%5Ee%26f'],
  ['a%b', 'a%25b'],
  ['100%', '100%25'],
  ['%zz', '%25zz'],
  ['%', '%25'],
  ['%41', '%41'],
  ['a%2Fb', 'a%2Fb'],
  ['a%2fb', 'a%2fb'],
  ['%E2%82', '%E2%82'],
  ['a b', 'a%20b'],
  ['a%20b', 'a%20b'],
  ['a%2520b', 'a%2520b'],
  ['ü', '%C3%BC'],
  ['日本', '%E6%97%A5%E6%9C%AC'],
  ['😀', '%F0%9F%98%80'],
  ['\u00a0', '%C2%A0'],
  ['{x}', '%7Bx%7D'],
  ['"q"', '%22q%22'],
  ['<>', '%3C%3E'],
  ['`', '%60'],
  ['a+b=c,d;e:f@g$h', 'a+b=c,d;e:f@g$h'],
  ['!*()~-_.', '!*()~-_.'],
  ['a\u0001b', 'a%01b'],
  ['__ENC__41', '%41'],
];

/** A fixed pseudo-random corpus (no flakiness): strings over the characters that matter. */
function corpus(size: number, alphabet: string[]): string[] {
  let seed = 20261202;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: size }, () =>
    Array.from({ length: 1 + Math.floor(next() * 10) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
}
const PATH_CHARS = [
  'a',
  'Z',
  '0',
  '%',
  '2',
  '0',
  '4',
  'F',
  'c',
  '|',
  '[',
  ']',
  "'",
  '^',
  '&',
  '{',
  '}',
  '"',
  '<',
  '>',
  '`',
  ' ',
  '+',
  ':',
  '@',
  '$',
  ',',
  ';',
  '=',
  '!',
  '*',
  '(',
  ')',
  '~',
  '-',
  '_',
  '.',
  '/',
  'ü',
  '😀',
  '\u0001',
];
const QUERY_CHARS = [...PATH_CHARS, '=', '&', '&', '%2C', '?'];

describe('insomniaPath', () => {
  it.each(TABLE)('%j is sent as %s', (segment, sent) => {
    expect(insomniaPath(`/wallets/${segment}/tags`)).toBe(`/wallets/${sent}/tags`);
    expect(smartEncodeUrl(`http://h/wallets/${segment}/tags`, true, '10')).toBe(`http://h/wallets/${sent}/tags`);
  });

  it('is what the model of Insomnia 10 sends, over a corpus of paths', () => {
    for (const tail of corpus(5000, PATH_CHARS)) {
      const path = `/w/${tail}`.replace(/[\u0000-\u0020]+$/, ''); // Insomnia trims the URL's end
      expect(insomniaPath(path), JSON.stringify(path)).toBe(smartEncodeUrl(`http://h${path}`, true, '10').slice('http://h'.length));
    }
  });

  it('is what the newest sources send too, for every path insomniaPathAmbiguity passes and the flow does not refuse', () => {
    let compared = 0;
    for (const tail of corpus(5000, PATH_CHARS)) {
      const path = `/w/${tail}`;
      if (insomniaPathAmbiguity(path) || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path) || /\s$/.test(path)) continue;
      compared++;
      expect(insomniaPath(path), JSON.stringify(path)).toBe(smartEncodeUrl(`http://h${path}`, true, 'newest').slice('http://h'.length));
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('keeps a backslash, which Insomnia sends as /, for the flow to refuse', () => {
    expect(insomniaPath('/a\\b|c')).toBe('/a\\b%7Cc');
    expect(smartEncodeUrl('http://h/a\\b|c', true, '10')).toBe('http://h/a/b%7Cc');
  });
});

describe('insomniaUrl', () => {
  it('is the whole URL Insomnia 10 sends: scheme added, host in lower case, path and query encoded', () => {
    expect(insomniaUrl('HTTP://User:Pw@API.Example.com:443/a b?x=1&y=a b&z&w=&%41=%2C&q=a%zz&s=a,b#frag ment')).toBe(
      'http://User:Pw@api.example.com:443/a%20b?x=1&y=a%20b&z&w=&A=,&q=a%25zz&s=a,b#frag%20ment',
    );
    expect(insomniaUrl('api.dfns.io/wallets/a|b')).toBe('http://api.dfns.io/wallets/a%7Cb');
    expect(insomniaUrl('http://h')).toBe('http://h/');
    expect(insomniaUrl('http://[::1]:8080/a')).toBe('http://[::1]:8080/a');
    expect(insomniaQuery('e=\'"<>+')).toBe("e='%22%3C%3E%2B");
  });

  it('is what the model of Insomnia 10 sends, over a corpus of URLs with queries', () => {
    for (const tail of corpus(5000, QUERY_CHARS)) {
      const url = `http://api.dfns.io/w/${tail}`.replace(/[\u0000-\u0020]+$/, '');
      expect(insomniaUrl(url), JSON.stringify(url)).toBe(smartEncodeUrl(url, true, '10'));
    }
  });

  it('is left as it is by Insomnia encoding it again (so a URL put on the request is sent as it is, whatever the setting)', () => {
    for (const tail of corpus(2000, QUERY_CHARS)) {
      const url = insomniaUrl(`http://api.dfns.io/w/${tail}`);
      expect(smartEncodeUrl(url, true, '10'), JSON.stringify(url)).toBe(url);
    }
  });
});

describe('insomniaPathAmbiguity', () => {
  it('names what Insomnia versions encode differently, and nothing else', () => {
    expect(insomniaPathAmbiguity("/wallets/it's")).toMatch(/^' \(sent as %27 by Insomnia 10 and as ' by newer versions\)$/);
    expect(insomniaPathAmbiguity('/a\tb')).toMatch(/^a control character \(tab, line break…\)/);
    expect(insomniaPathAmbiguity('/a\u007fb')).toMatch(/^a control character \(tab, line break…\)/);
    expect(insomniaPathAmbiguity('/__RAW__41')).toMatch(/__RAW__/);
    expect(insomniaPathAmbiguity('/a\ud800b')).toMatch(/lone UTF-16 surrogate/);
    expect(insomniaPathAmbiguity('/a\udc00')).toMatch(/lone UTF-16 surrogate/);
    for (const path of ['/wallets/a|b[c]d^e&f', '/a%b', '/😀/ü', '/a b', '/%27'].concat(
      TABLE.map(([s]) => `/${s}`).filter((p) => !/['\u0001]/.test(p)),
    ))
      expect(insomniaPathAmbiguity(path), path).toBeUndefined();
  });
});
