import { Readable } from 'node:stream';
import { PushpageError } from '../errors';
import { checkUploadKey, StoredUpload, UploadMeta, UploadStorage } from './upload-storage';

/** How many bytes the memory upload storage holds unless told otherwise: 256 MiB. */
export const DEFAULT_MEMORY_UPLOAD_BYTES = 256 * 1024 * 1024;

interface Held extends StoredUpload {
  bytes: Buffer;
}

/**
 * The default upload storage: files in this process's memory, up to a total (a `put` that
 * would go over it fails with `413 too-large`, and stores nothing). For one process and for
 * tests; files are lost on restart and other replicas do not see them.
 */
export class MemoryUploadStorage implements UploadStorage {
  private readonly files = new Map<string, Held>();
  private held = 0;

  constructor(private readonly maxTotalBytes = DEFAULT_MEMORY_UPLOAD_BYTES) {}

  /** How many files it holds. */
  get size(): number {
    return this.files.size;
  }

  async put(key: string, stream: Readable, meta: UploadMeta): Promise<void> {
    checkUploadKey(key);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += bytes.length;
        if (this.held + size > this.maxTotalBytes)
          throw new PushpageError('too-large', 'the server has no room for this upload now');
        chunks.push(bytes);
      }
    } catch (error) {
      stream.destroy();
      throw error;
    }
    await this.delete(key);
    this.files.set(key, { name: meta.name, type: meta.type, size, bytes: Buffer.concat(chunks) });
    this.held += size;
  }

  async open(key: string): Promise<Readable | undefined> {
    const held = this.files.get(checkUploadKey(key));
    return held ? Readable.from([held.bytes]) : undefined;
  }

  async stat(key: string): Promise<StoredUpload | undefined> {
    const held = this.files.get(checkUploadKey(key));
    return held ? { name: held.name, type: held.type, size: held.size } : undefined;
  }

  async delete(key: string): Promise<void> {
    const held = this.files.get(checkUploadKey(key));
    if (!held) return;
    this.files.delete(key);
    this.held -= held.size;
  }
}
