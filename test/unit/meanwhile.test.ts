// src/meanwhile.ts: the key's preparation runs beside the challenge request only when the answer is
// late, never after it came, and leaves no timer behind (Postman's sandbox waits for pending timers).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meanwhile, PREPARE_AFTER_MS } from '../../src/meanwhile';

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('meanwhile', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('runs the work once, while the answer is still on its way, and hands the answer through', async () => {
    const ran: string[] = [];
    const answer = later(PREPARE_AFTER_MS + 60, 'answer').then((v) => {
      ran.push('answer');
      return v;
    });
    expect(await meanwhile(answer, () => ran.push('work'))).toBe('answer');
    expect(ran).toEqual(['work', 'answer']);
  });

  it('skips the work when the answer comes first, and clears its timer', async () => {
    const cleared: unknown[] = [];
    const clear = clearTimeout;
    vi.stubGlobal('clearTimeout', (t: NodeJS.Timeout) => {
      cleared.push(t);
      clear(t);
    });
    const work = vi.fn();
    expect(await meanwhile(Promise.resolve(7), work)).toBe(7);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
    expect(cleared).toHaveLength(1);
  });

  it('a refusal passes through as it is, and the work does not run after it', async () => {
    const work = vi.fn();
    const refused = new Error('401');
    await expect(meanwhile(Promise.reject(refused), work)).rejects.toBe(refused);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
  });

  it('work that throws is only a lost head start', async () => {
    const answer = later(PREPARE_AFTER_MS + 60, 'answer');
    expect(
      await meanwhile(answer, () => {
        throw new Error('no table');
      }),
    ).toBe('answer');
  });

  it('without clearTimeout (Bruno QuickJS) the late timer does nothing; without timers no work at all', async () => {
    vi.stubGlobal('clearTimeout', undefined);
    const work = vi.fn();
    expect(await meanwhile(Promise.resolve(1), work)).toBe(1);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
    vi.stubGlobal('setTimeout', undefined);
    const answer = new Promise((resolve) => setImmediate(() => resolve('answer')));
    expect(await meanwhile(answer, work)).toBe('answer');
    expect(work).not.toHaveBeenCalled();
  });

  it('no work to do: the answer as it is', async () => {
    const answer = Promise.resolve('answer');
    expect(meanwhile(answer, undefined)).toBe(answer);
  });
});
