import { Upload, handler, MAX_UPLOAD_FILES } from 'pushpage';
import {
  acceptItemProblem,
  acceptsFile,
  bytesText,
  cleanFileName,
} from '../../../libs/pushpage/src/upload-rules';
import { uploadProblem } from '../../../client/src/upload';

const uploaded = handler('test.uploaded', () => undefined);

describe('what an upload accepts', () => {
  it('takes name endings and MIME types, with wildcard subtypes, case-insensitively', () => {
    const accept = ['.csv', 'image/*', 'application/pdf'];
    expect(acceptsFile(accept, 'DATA.CSV', 'application/octet-stream')).toBe(true);
    expect(acceptsFile(accept, 'photo', 'image/PNG')).toBe(true);
    expect(acceptsFile(accept, 'a.pdf', 'application/pdf')).toBe(true);
    expect(acceptsFile(accept, 'a.txt', 'text/plain')).toBe(false);
    // the ending alone is no name
    expect(acceptsFile(accept, '.csv', 'text/plain')).toBe(false);
    expect(acceptsFile(accept, 'a.csv.exe', 'application/x-msdownload')).toBe(false);
    expect(acceptsFile([], 'anything', 'any/thing')).toBe(true);
  });

  it('refuses accept items that are neither an ending nor a MIME type', () => {
    for (const good of ['.csv', '.tar.gz', 'text/csv', 'image/*', 'application/vnd.ms-excel'])
      expect(acceptItemProblem(good)).toBeUndefined();
    for (const bad of ['csv', '*', '*/*', '.', 'text/', '../x', 'text/csv; q=1', 7])
      expect(acceptItemProblem(bad)).toBeDefined();
  });

  it('keeps only the last segment of a file name, without control characters', () => {
    expect(cleanFileName('C:\\fakepath\\report.csv')).toBe('report.csv');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(cleanFileName('..')).toBe('file');
    expect(cleanFileName('  ')).toBe('file');
    expect(cleanFileName('é'.repeat(300))).toHaveLength(255);
  });

  it('says sizes as people read them', () => {
    expect(bytesText(100)).toBe('100 B');
    expect(bytesText(2048)).toBe('2 kB');
    expect(bytesText(1500)).toBe('1.5 kB');
    expect(bytesText(10 * 1024 * 1024)).toBe('10 MB');
  });

  it('is checked in the tab as the server checks it', () => {
    const limits = { maxBytes: 100, maxFiles: 2, accept: ['.txt'] };
    const file = (name: string, size: number, type = '') => ({ name, size, type });
    expect(uploadProblem([file('a.txt', 100)], limits)).toBeUndefined();
    expect(uploadProblem([file('a.txt', 101)], limits)).toBe(
      "a.txt is over the upload's limit of 100 B",
    );
    expect(uploadProblem([file('a.png', 1, 'image/png')], limits)).toMatch(/not a type/);
    expect(uploadProblem([file('a.txt', 1), file('b.txt', 1), file('c.txt', 1)], limits)).toMatch(
      /at most 2 files/,
    );
    expect(uploadProblem([], limits)).toMatch(/Choose a file/);
  });
});

describe('Upload', () => {
  it('stores its limits as props, which every replica reads back', () => {
    const upload = new Upload({
      maxBytes: 1000,
      maxFiles: 3,
      accept: ['.csv'],
      label: 'Send',
      upload: uploaded,
    });
    expect([
      upload.maxBytes,
      upload.maxFiles,
      upload.multiple,
      upload.accept,
      upload.label,
    ]).toEqual([1000, 3, true, ['.csv'], 'Send']);
    expect(upload.getProp('maxBytes')).toBe(1000);
    expect(upload.getProp('accept')).toEqual(['.csv']);
    expect(upload.handlerFor('upload')).toBe('test.uploaded');
    expect((Upload as unknown as { serverEvents: string[] }).serverEvents).toEqual(['upload']);
  });

  it('takes one file of up to 10 MiB by default', () => {
    const upload = new Upload({ upload: uploaded });
    expect([upload.maxBytes, upload.maxFiles, upload.multiple, upload.accept]).toEqual([
      10 * 1024 * 1024,
      1,
      false,
      [],
    ]);
  });

  it('refuses limits that are not limits', () => {
    expect(() => new Upload({ maxBytes: 0, upload: uploaded })).toThrow(RangeError);
    expect(() => new Upload({ maxBytes: 1.5, upload: uploaded })).toThrow(RangeError);
    expect(() => new Upload({ maxFiles: MAX_UPLOAD_FILES + 1, upload: uploaded })).toThrow(
      RangeError,
    );
    expect(() => new Upload({ maxFiles: 2, multiple: false, upload: uploaded })).toThrow(
      /multiple/,
    );
    expect(() => new Upload({ accept: ['csv'], upload: uploaded })).toThrow(/neither/);
  });

  it('takes one file again once multiple is turned off', () => {
    const upload = new Upload({ maxFiles: 5, upload: uploaded });
    upload.multiple = false;
    expect(upload.maxFiles).toBe(1);
  });
});
