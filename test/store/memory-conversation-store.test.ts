import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import { describeConversationStoreContract } from './conversation-store.contract.js';

describeConversationStoreContract('memory', async () => ({
  store: new MemoryConversationStore(),
  close: async () => undefined,
}));
