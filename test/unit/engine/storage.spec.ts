import { PushpageError } from '../../../libs/pushpage/src/errors';
import { checkTabId, handlerStorage } from '../../../libs/pushpage/src/engine/storage';
import { validateJoin } from '../../../libs/pushpage/src/edges/socket/join.dto';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { STORAGE_LIMITS } from '../../../libs/pushpage/src/store/store';

const DAY = 24 * 60 * 60 * 1000;

function storageFor(store: MemoryStore, sessionId: string, tabId?: string) {
  return handlerStorage({ store, sessionId, userExpireAt: Date.now() + DAY, tabId });
}

async function refusal(call: Promise<unknown>): Promise<PushpageError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof PushpageError) return error;
    throw error;
  }
  throw new Error('the call was not refused');
}

describe('msg.storage', () => {
  it('keeps JSON copies per session and per tab of the session', async () => {
    const store = new MemoryStore();
    const one = storageFor(store, 's1', 'tab-a');
    const value = { theme: 'dark', sizes: [1, 2], nested: { on: true } };
    await one.user.set('theme' as never, value as never);
    value.sizes.push(3); // a copy was stored
    const other = storageFor(store, 's1', 'tab-b');
    expect(await other.user.get('theme' as never)).toEqual({
      theme: 'dark',
      sizes: [1, 2],
      nested: { on: true },
    });
    await one.tab.set('draft' as never, 'hello' as never);
    expect(await one.tab.get('draft' as never)).toBe('hello');
    expect(await other.tab.get('draft' as never)).toBeUndefined();
    // the same tab id in another session is another tab
    expect(await storageFor(store, 's2', 'tab-a').tab.get('draft' as never)).toBeUndefined();
    expect(await storageFor(store, 's2', 'tab-a').user.get('theme' as never)).toBeUndefined();
    expect(await one.tab.getAll()).toEqual({ draft: 'hello' });
    await one.tab.delete('draft' as never);
    expect(await one.tab.getAll()).toEqual({});
  });

  it('refuses a value over 64 kB of JSON, and storage over 256 kB, storing nothing', async () => {
    const store = new MemoryStore();
    const { user } = storageFor(store, 's1', 't');
    const big = 'x'.repeat(STORAGE_LIMITS.valueBytes); // its JSON has two quotes more
    const tooBig = await refusal(user.set('a' as never, big as never));
    expect(tooBig.code).toBe('too-large');
    expect(tooBig.message).toMatch(/at most 65536/);
    expect(await user.get('a' as never)).toBeUndefined();
    // multi-byte text counts its UTF-8 bytes
    const accents = await refusal(user.set('a' as never, 'é'.repeat(33_000) as never));
    expect(accents.code).toBe('too-large');

    const part = 'y'.repeat(STORAGE_LIMITS.valueBytes - 2); // 64 kB of JSON exactly
    for (const key of ['k1', 'k2', 'k3']) await user.set(key as never, part as never);
    const over = await refusal(user.set('k4' as never, part as never));
    expect(over.code).toBe('too-large');
    expect(over.message).toMatch(/nothing was stored/);
    expect(Object.keys(await user.getAll())).toEqual(['k1', 'k2', 'k3']);
    await user.set('k4' as never, 'small' as never);
    expect(await user.get('k4' as never)).toBe('small');
  });

  it('checks key names and values', async () => {
    const { user } = storageFor(new MemoryStore(), 's1');
    for (const key of ['', 'a b', 'x'.repeat(101), '#b', 'ü'])
      expect((await refusal(user.get(key as never))).code).toBe('bad-request');
    await user.set(`${'x'.repeat(100)}` as never, 1 as never);
    await user.set('a.b:c-d_e' as never, null as never);
    expect(await user.get('a.b:c-d_e' as never)).toBeNull();
    expect((await refusal(user.set('f' as never, undefined as never))).code).toBe('bad-request');
    expect((await refusal(user.set('f' as never, 10n as never))).code).toBe('bad-request');
  });

  it('refuses the tab storage of an event without a tab id, saying why', async () => {
    const store = new MemoryStore();
    const { tab, user } = handlerStorage({
      store,
      sessionId: 's1',
      userExpireAt: Date.now() + DAY,
      noTab: 'no tab here',
    });
    const refused = await refusal(tab.set('draft' as never, 'x' as never));
    expect(refused.code).toBe('bad-request');
    expect(refused.message).toBe('no tab here');
    await user.set('theme' as never, 'dark' as never);
    expect(await user.get('theme' as never)).toBe('dark');
    const plain = handlerStorage({ store, sessionId: 's1', userExpireAt: Date.now() + DAY });
    expect((await refusal(plain.tab.get('draft' as never))).message).toMatch(/tab id/);
    const tick = handlerStorage({
      store,
      sessionId: '',
      userExpireAt: Date.now() + DAY,
      noUser: 'a tick',
    });
    expect((await refusal(tick.user.get('theme' as never))).message).toBe('a tick');
  });

  it('lets the session’s storage go when the session is past its maximum age', async () => {
    const store = new MemoryStore();
    const ended = handlerStorage({ store, sessionId: 's1', userExpireAt: Date.now() - 1 });
    await ended.user.set('theme' as never, 'dark' as never);
    expect(await storageFor(store, 's1').user.get('theme' as never)).toBeUndefined();
  });

  it('keeps a tab’s storage a day after its last use', async () => {
    const store = new MemoryStore();
    let now = Date.now();
    const tab = () =>
      handlerStorage({
        store,
        sessionId: 's1',
        userExpireAt: now + DAY,
        tabId: 't',
        now: () => now,
      }).tab;
    await tab().set('draft' as never, 'one' as never);
    const kept = jest.spyOn(store, 'storageGet');
    now += DAY / 2;
    expect(await tab().get('draft' as never)).toBe('one');
    expect(kept).toHaveBeenLastCalledWith({ session: 's1', tab: 't' }, 'draft', now + DAY);
  });

  it('checks tab ids as ids', () => {
    expect(checkTabId('Ab_-9')).toBe('Ab_-9');
    for (const bad of ['', 'a b', 'x'.repeat(65), 3, null])
      expect(() => checkTabId(bad)).toThrow(PushpageError);
    expect(validateJoin({ pageId: 'p1', tabId: 'tab-1' }).tabId).toBe('tab-1');
    expect(validateJoin({ pageId: 'p1' }).tabId).toBeUndefined();
    expect(() => validateJoin({ pageId: 'p1', tabId: 'a/b' })).toThrow(/tabId/);
  });
});
