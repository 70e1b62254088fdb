import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { PushpageError } from '../errors';
import type { UploadedFile } from '../model/upload';
import { ID_PATTERN, UPLOAD_FIELDS } from '../protocol';
import { acceptsFile, bytesText, cleanFileName } from '../upload-rules';
import { newUploadKey, UploadStorage } from './upload-storage';

/** What one upload takes: its component's limits. */
export interface UploadLimits {
  /** The largest file, in bytes. */
  maxBytes: number;
  /** The most files. */
  maxFiles: number;
  /** Name endings and MIME types taken; empty takes any. */
  accept: readonly string[];
}

/** An upload received whole: its files, stored, and who sent them. */
export interface ReceivedUpload {
  files: UploadedFile[];
  /** The sender's tab id, if it gave one. */
  tabId?: string;
  /** The sender's socket id, if it gave one (not checked yet: see the controller). */
  socketId?: string;
}

/** Room in a multipart body for the headers and boundaries around each part. */
const PART_OVERHEAD_BYTES = 16 * 1024;
/**
 * After a refusal the rest of the body is read (and dropped) up to this much, so that the
 * browser, still sending, reads the answer; past it the connection is closed.
 */
const DRAIN_MAX_BYTES = 1024 * 1024;

/**
 * A stream that passes bytes on, counting them, until there are more than `max`; then it
 * fails with `413` and tells `refused`.
 */
function capped(
  max: number,
  refused: (error: PushpageError) => void,
): { stream: Transform; size: () => number } {
  let seen = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= max) return done(null, chunk);
      const error = new PushpageError(
        'too-large',
        `a file is over the upload's limit of ${bytesText(max)}`,
      );
      done(error);
      refused(error);
    },
  });
  // the storage may start reading later (after making its directory, say): the failure is
  // reported through `refused`, and the storage's own read sees the stream failed
  stream.on('error', () => undefined);
  return { stream, size: () => seen };
}

function tooMany(max: number): PushpageError {
  return new PushpageError(
    'bad-request',
    `this upload takes at most ${max} file${max === 1 ? '' : 's'} at a time`,
  );
}

/**
 * Reads a multipart upload and streams each file to `storage` as it arrives, checking the
 * limits as it goes: the declared body size first, then each file's name and type (`415`)
 * before any of its bytes are stored, its size while it streams (`413`), and the count
 * (`400`). On a refusal it stops storing, deletes every file of the request that was stored or
 * being stored, reads what is left of the body (up to a bound) and throws the refusal.
 */
export async function receiveUpload(
  req: IncomingMessage,
  limits: UploadLimits,
  storage: UploadStorage,
): Promise<ReceivedUpload> {
  const declared = Number(req.headers['content-length']);
  const largest = limits.maxFiles * (limits.maxBytes + PART_OVERHEAD_BYTES) + PART_OVERHEAD_BYTES;
  if (Number.isFinite(declared) && declared > largest) {
    throw await afterDrain(
      req,
      new PushpageError(
        'too-large',
        `the upload is over its limit of ${limits.maxFiles} × ${bytesText(limits.maxBytes)}`,
      ),
    );
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: {
        files: limits.maxFiles + 1,
        fileSize: limits.maxBytes + 1,
        fields: 4,
        fieldSize: 128,
        parts: limits.maxFiles + 5,
        headerPairs: 20,
      },
    });
  } catch {
    throw await afterDrain(
      req,
      new PushpageError('bad-request', 'an upload must be a multipart/form-data body'),
    );
  }
  return new Promise<ReceivedUpload>((resolve, reject) => {
    const received: ReceivedUpload = { files: [] };
    const keys: string[] = [];
    const puts: Promise<unknown>[] = [];
    const streams: Readable[] = [];
    let refusal: PushpageError | undefined;
    let count = 0;

    const refuse = (error: PushpageError) => {
      if (refusal) return;
      refusal = error;
      req.unpipe(parser);
      for (const stream of streams) stream.destroy(error);
      void Promise.allSettled(puts)
        .then(() => Promise.allSettled(keys.map((key) => storage.delete(key))))
        .then(() => afterDrain(req, error))
        .then(reject);
    };

    parser.on('file', (field, stream, info) => {
      if (refusal) return void stream.resume();
      if (field !== UPLOAD_FIELDS.file) {
        stream.resume();
        return refuse(new PushpageError('bad-request', `an upload has no part named ${field}`));
      }
      // a form sends an empty part when no file was chosen
      if (!info.filename) return void stream.resume();
      if (++count > limits.maxFiles) {
        stream.resume();
        return refuse(tooMany(limits.maxFiles));
      }
      const name = cleanFileName(info.filename);
      const type = (info.mimeType || 'application/octet-stream').toLowerCase();
      if (!acceptsFile(limits.accept, name, type)) {
        stream.resume();
        return refuse(
          new PushpageError(
            'unsupported-type',
            `${name} (${type}) is not a type this upload takes: ${limits.accept.join(', ')}`,
          ),
        );
      }
      const key = newUploadKey();
      keys.push(key);
      const counted = capped(limits.maxBytes, refuse);
      streams.push(stream, counted.stream);
      stream.on('error', (error) => counted.stream.destroy(error));
      stream.pipe(counted.stream);
      puts.push(
        storage.put(key, counted.stream, { name, type }).then(
          () => received.files.push({ key, name, type, size: counted.size() }),
          (error: unknown) =>
            refuse(
              error instanceof PushpageError
                ? error
                : new PushpageError('unavailable', 'the upload storage failed; try again'),
            ),
        ),
      );
    });
    parser.on('field', (field, value) => {
      if (field !== UPLOAD_FIELDS.tabId && field !== UPLOAD_FIELDS.socketId)
        return refuse(new PushpageError('bad-request', `an upload has no field named ${field}`));
      if (!ID_PATTERN.test(value))
        return refuse(
          new PushpageError('bad-request', `${field} must be 1 to 64 letters, digits, "_" or "-"`),
        );
      received[field] = value;
    });
    parser.on('filesLimit', () => refuse(tooMany(limits.maxFiles)));
    parser.on('partsLimit', () => refuse(tooMany(limits.maxFiles)));
    parser.on('fieldsLimit', () =>
      refuse(new PushpageError('bad-request', 'an upload has too many fields')),
    );
    parser.on('error', () =>
      refuse(new PushpageError('bad-request', 'the upload is not a well-formed multipart body')),
    );
    req.on('aborted', () => refuse(new PushpageError('bad-request', 'the upload was broken off')));
    parser.on('close', () => {
      if (refusal) return;
      void Promise.all(puts).then(() => {
        if (refusal) return;
        if (received.files.length === 0)
          return refuse(new PushpageError('bad-request', 'the upload holds no file'));
        // in the order the files came
        received.files.sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key));
        resolve(received);
      });
    });
    req.pipe(parser);
  });
}

/**
 * Reads and drops what is left of a refused request's body (so that the browser, still
 * sending, gets the answer), at most {@link DRAIN_MAX_BYTES}; past that it stops reading (the
 * answer closes the connection). Resolves with `error`.
 */
function afterDrain(req: IncomingMessage, error: PushpageError): Promise<PushpageError> {
  return new Promise((resolve) => {
    if (req.readableEnded || req.destroyed) return resolve(error);
    let dropped = 0;
    const done = () => {
      req.off('data', count);
      req.off('end', done);
      req.off('close', done);
      resolve(error);
    };
    const count = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped <= DRAIN_MAX_BYTES) return;
      req.pause();
      done();
    };
    req.on('data', count);
    req.on('end', done);
    req.on('close', done);
    req.resume();
  });
}
