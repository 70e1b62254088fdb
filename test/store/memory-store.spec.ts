import { MemoryStore } from '../../libs/pushpage/src/store/memory/memory-store';
import { storeContract } from './store.contract';

storeContract('memory', async () => new MemoryStore());
