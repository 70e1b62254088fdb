import { MemoryStore } from '../../libs/pushpage/src';
import { storeContract } from './store.contract';

storeContract('memory', async () => new MemoryStore());
