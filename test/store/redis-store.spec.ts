import { RedisStore } from '../../libs/pushpage/src/store/redis-store';
import { RedisServer } from '../support/redis-server';
import { storeContract } from './store.contract';

let server: RedisServer;
let run = 0;

beforeAll(async () => {
  server = await RedisServer.start();
});

afterAll(async () => {
  await server?.stop();
});

// Each test gets its own key prefix, so tests never see each other's keys.
storeContract('redis', async () => new RedisStore(server.client(), `test${++run}:`));
