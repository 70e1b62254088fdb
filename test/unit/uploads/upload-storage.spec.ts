import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DiskUploadStorage, MemoryUploadStorage, UploadStorage } from 'pushpage';
import { newUploadKey } from '../../../libs/pushpage/src/uploads/upload-storage';

async function text(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** A stream that gives `first`, then fails, as a request broken off (or over its limit) does. */
function failing(first: string): Readable {
  return new Readable({
    read() {
      this.push(first);
      this.destroy(new Error('broken off'));
    },
  });
}

const meta = { name: 'notes.txt', type: 'text/plain' };

/** A storage to test, what its directory holds (if it has one), and how to clean up after. */
interface Made {
  storage: UploadStorage;
  files?: () => Promise<string[]>;
  done: () => Promise<unknown>;
}

describe.each([
  [
    'memory',
    async (): Promise<Made> => ({
      storage: new MemoryUploadStorage(),
      done: async () => undefined,
    }),
  ],
  [
    'a directory',
    async (): Promise<Made> => {
      const dir = await mkdtemp(join(tmpdir(), 'pp-uploads-'));
      return {
        storage: new DiskUploadStorage(join(dir, 'made')),
        files: () => readdir(join(dir, 'made')),
        done: () => rm(dir, { recursive: true, force: true }),
      };
    },
  ],
] as const)('upload storage in %s', (_where, make) => {
  let storage: UploadStorage;
  let files: (() => Promise<string[]>) | undefined;
  let done: () => Promise<unknown>;

  beforeEach(async () => {
    const made = await make();
    storage = made.storage;
    files = made.files;
    done = made.done;
  });
  afterEach(() => done());

  it('stores a stream under its key, with its name, type and size', async () => {
    const key = newUploadKey();
    await storage.put(key, Readable.from([Buffer.from('hello '), Buffer.from('world')]), meta);
    expect(await storage.stat(key)).toEqual({ ...meta, size: 11 });
    expect(await text(await storage.open(key))).toBe('hello world');
    await storage.delete(key);
    expect(await storage.stat(key)).toBeUndefined();
    expect(await storage.open(key)).toBeUndefined();
    if (files) expect(await files()).toEqual([]);
  });

  it('keeps nothing of a stream that fails, once deleted', async () => {
    const key = newUploadKey();
    await expect(storage.put(key, failing('part of it'), meta)).rejects.toThrow('broken off');
    await storage.delete(key);
    expect(await storage.stat(key)).toBeUndefined();
    if (files) expect(await files()).toEqual([]);
  });

  it('has nothing under an unknown key, deletes it quietly, and refuses what is not a key', async () => {
    expect(await storage.stat(newUploadKey())).toBeUndefined();
    await expect(storage.delete(newUploadKey())).resolves.toBeUndefined();
    for (const bad of ['../etc/passwd', 'notes.txt', ''])
      await expect(storage.stat(bad)).rejects.toThrow(/not an upload key/);
  });
});

describe('memory upload storage', () => {
  it('refuses a file that would take it over its total, and frees what it deletes', async () => {
    const storage = new MemoryUploadStorage(10);
    const first = newUploadKey();
    await storage.put(first, Readable.from([Buffer.from('123456')]), meta);
    await expect(
      storage.put(newUploadKey(), Readable.from([Buffer.from('12345')]), meta),
    ).rejects.toMatchObject({ code: 'too-large' });
    expect(storage.size).toBe(1);
    await storage.delete(first);
    await storage.put(newUploadKey(), Readable.from([Buffer.from('1234567890')]), meta);
    expect(storage.size).toBe(1);
  });
});
