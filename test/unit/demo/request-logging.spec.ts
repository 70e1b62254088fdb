import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp, { Options } from 'pino-http';
import { loadConfig } from '../../../apps/demo/config';
import { loggingParams } from '../../../apps/demo/logging';

interface Line {
  level: number;
  msg: string;
  err?: { message: string; stack?: string };
  res?: { statusCode: number };
}

const LEVEL = { info: 30, warn: 40, error: 50 };

describe('request log lines', () => {
  const lines: Line[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const params = loggingParams(loadConfig({}));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString().split('\n'))
          if (text) lines.push(JSON.parse(text) as Line);
        done();
      },
    });
    const log = pinoHttp(params.pinoHttp as Options, sink);
    server = createServer((req, res) => {
      log(req, res);
      if (req.url === '/broken') {
        res.err = new Error('the handler broke');
        res.statusCode = 500;
      } else res.statusCode = req.url === '/busy' ? 503 : 200;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function logged(path: string): Promise<Line> {
    const before = lines.length;
    await (await fetch(`${url}${path}`)).arrayBuffer();
    for (let i = 0; i < 50 && lines.length === before; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines.length).toBe(before + 1);
    return lines[before];
  }

  it('logs a 503 (draining, the store away) as a warning, without a made-up error', async () => {
    const line = await logged('/busy');
    expect(line).toMatchObject({ level: LEVEL.warn, res: { statusCode: 503 } });
    expect(line.err).toBeUndefined();
    expect(line.msg).toBe('request answered 503');
  });

  it('logs a failure with its own error at error level', async () => {
    const line = await logged('/broken');
    expect(line).toMatchObject({ level: LEVEL.error, err: { message: 'the handler broke' } });
  });

  it('logs an answered request at info', async () => {
    expect(await logged('/fine')).toMatchObject({ level: LEVEL.info, res: { statusCode: 200 } });
  });
});
