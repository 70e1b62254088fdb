import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';

/** What an upload storage keeps beside a file's bytes. */
export interface UploadMeta {
  /** The file's name as the browser gave it, cleaned (see `cleanFileName`): never a path. */
  name: string;
  /** Its MIME type as the browser declared it. */
  type: string;
}

/** A stored file's metadata and size. */
export interface StoredUpload extends UploadMeta {
  /** Its size in bytes. */
  size: number;
}

/**
 * Where uploaded files go: the port an `Upload` streams its files to. Pushpage ships a memory
 * one (the default, one process) and a directory one (the `uploadDirectory` option); an app
 * plugs its own, S3-shaped say, with the `uploadStorage` option:
 *
 * ```ts
 * class S3UploadStorage implements UploadStorage {
 *   async put(key, stream, meta) {
 *     await new Upload({ client, params: { Bucket, Key: key, Body: stream, ContentType: meta.type,
 *       Metadata: { name: encodeURIComponent(meta.name) } } }).done();
 *   }
 *   async open(key) { ... GetObject's Body, or undefined when NoSuchKey ... }
 *   async stat(key) { ... HeadObject ... }
 *   async delete(key) { await client.send(new DeleteObjectCommand({ Bucket, Key: key })); }
 * }
 * ```
 *
 * Keys are random ({@link newUploadKey}), made by Pushpage; file names are metadata only.
 * With several replicas, use a storage every replica reaches (a shared directory, a bucket):
 * a handler on one replica may read what another stored. Handlers reach it by injecting
 * {@link PUSHPAGE_UPLOAD_STORAGE}.
 */
export interface UploadStorage {
  /**
   * Stores a file under a new key, reading `stream` to its end. It must reject if the stream
   * fails (Pushpage fails it when the file goes over its upload's `maxBytes`, or the request
   * breaks off); Pushpage then calls {@link UploadStorage.delete}, so a partial file may be left
   * for that call to remove.
   */
  put(key: string, stream: Readable, meta: UploadMeta): Promise<void>;
  /** The bytes of a stored file, or `undefined` if there is no file under the key. */
  open(key: string): Promise<Readable | undefined>;
  /** A stored file's name, type and size, or `undefined` if there is none under the key. */
  stat(key: string): Promise<StoredUpload | undefined>;
  /** Removes a file (and anything a failed `put` left); a key with nothing stored is no error. */
  delete(key: string): Promise<void>;
}

/** Upload keys: 144 random bits, base64url (24 characters), unguessable. */
export const UPLOAD_KEY_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** A new random upload key. */
export function newUploadKey(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Checks a key before it names anything in a storage: one Pushpage made, never a name or a
 * path from a request.
 */
export function checkUploadKey(key: string): string {
  if (!UPLOAD_KEY_PATTERN.test(key))
    throw new RangeError(`not an upload key: ${JSON.stringify(key)}`);
  return key;
}

/** Injection token of the app's {@link UploadStorage}: `@Inject(PUSHPAGE_UPLOAD_STORAGE)`. */
export const PUSHPAGE_UPLOAD_STORAGE = Symbol('pushpage:upload-storage');
