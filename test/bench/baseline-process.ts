import { join } from 'node:path';
import { ServerProcess } from '../support/server-process';

/** One baseline server (`baseline-server.ts`, built) as its own process on a loopback port. */
export type BaselineProcess = ServerProcess;

/** Starts a baseline server on the given Redis. */
export function startBaseline(redisUrl: string): Promise<BaselineProcess> {
  return ServerProcess.start({
    name: 'baseline server',
    script: join(__dirname, 'baseline-server.js'),
    env: { REDIS_URL: redisUrl },
    readyPath: '/health',
    stdinPipe: true,
  });
}
