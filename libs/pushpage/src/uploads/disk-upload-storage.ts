import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkUploadKey, StoredUpload, UploadMeta, UploadStorage } from './upload-storage';

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * Upload storage in a directory (the `uploadDirectory` option): each file under its key, its
 * name, type and size beside it in `<key>.json`. A file is written as `<key>.part` and renamed
 * once complete, so a reader never sees half of one. Several replicas may share the directory
 * (a shared volume). File names from browsers never name anything on disk.
 */
export class DiskUploadStorage implements UploadStorage {
  private ready: Promise<unknown> | undefined;

  constructor(readonly directory: string) {}

  private path(key: string, suffix = ''): string {
    return join(this.directory, `${checkUploadKey(key)}${suffix}`);
  }

  async put(key: string, stream: Readable, meta: UploadMeta): Promise<void> {
    const part = this.path(key, '.part');
    this.ready ??= mkdir(this.directory, { recursive: true });
    await this.ready;
    try {
      await pipeline(stream, createWriteStream(part, { flags: 'wx' }));
      const { size } = await stat(part);
      const stored: StoredUpload = { name: meta.name, type: meta.type, size };
      await writeFile(this.path(key, '.json'), JSON.stringify(stored), { flag: 'wx' });
      await rename(part, this.path(key));
    } catch (error) {
      await this.delete(key);
      throw error;
    }
  }

  async open(key: string): Promise<Readable | undefined> {
    const path = this.path(key);
    const stream = createReadStream(path);
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', (error) => (missing(error) ? resolve(undefined) : reject(error)));
    });
  }

  async stat(key: string): Promise<StoredUpload | undefined> {
    try {
      const [text] = await Promise.all([
        readFile(this.path(key, '.json'), 'utf8'),
        // the metadata is written before the rename: the file itself says it is complete
        access(this.path(key)),
      ]);
      return JSON.parse(text) as StoredUpload;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await Promise.all(
      ['', '.json', '.part'].map((suffix) => rm(this.path(key, suffix), { force: true })),
    );
  }
}
