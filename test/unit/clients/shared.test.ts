// What the adapters share, alone: the JSON-comment stripping that must match postman-runtime's byte for byte,
// and the search for an empty variable that makes up a path segment.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { emptySegmentVariable, stripJsonComments } from '../../../src/clients/shared';

const library: (text: string, options: { whitespace: boolean }) => string = createRequire(import.meta.url)('strip-json-comments');

describe('stripJsonComments', () => {
  it('is strip-json-comments 3.1.1 without whitespace, byte for byte, on every short text of JSON-ish characters', () => {
    // A seeded PRNG (mulberry32), so a failure can be replayed.
    let state = 0x2545f491;
    const rand = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = ['"', '\\', '/', '*', '\n', '\r', ' ', 'a', '{', ':', 'é'];
    for (let n = 0; n < 10000; n++) {
      let text = '';
      const length = Math.floor(rand() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      expect(stripJsonComments(text), JSON.stringify(text)).toBe(library(text, { whitespace: false }));
    }
  });

  it('on the bodies users write', () => {
    for (const text of [
      '{\n  // a comment\n  "url": "https://x.io/a//b", /* another */ "n": 1\n}',
      '{"a":"\\"//"} // c\r\n',
      '{"a":1} /* open',
      '"\\\\" // x',
    ])
      expect(stripJsonComments(text)).toBe(library(text, { whitespace: false }));
  });
});

describe('emptySegmentVariable', () => {
  const values: Record<string, string> = { empty: '', blank: ' ', id: 'w1' };
  const resolve = (text: string) => text.replace(/\{\{([^{}]*)\}\}/g, (ref, name: string) => (name in values ? values[name] : ref));
  const find = (url: string) => emptySegmentVariable(url, /\{\{([^{}]*)\}\}/g, resolve);

  it('names the first variable that makes up a whole segment and resolves to nothing', () => {
    expect(find('https://{{host}}/wallets/{{empty}}')).toBe('empty');
    expect(find('https://h/wallets/{{blank}}/tags/{{empty}}')).toBe('blank');
    expect(find('/a/{{empty}}{{blank}}/b')).toBe('empty');
  });

  it('leaves alone a segment with other text, a defined or an unknown variable, the host and the query', () => {
    for (const url of [
      'https://h/wallets/wa-{{empty}}',
      'https://h/wallets/{{id}}',
      'https://h/wallets/{{unknown}}',
      'https://{{empty}}/x',
      'https://h/x?a={{empty}}',
      'https://h/x#{{empty}}',
    ])
      expect(find(url), url).toBeUndefined();
  });
});
