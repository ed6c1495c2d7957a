import { AppError } from '../../src/errors.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';

/**
 * A memory store that can be switched off, failing the way the Redis store does when Redis
 * goes away (`down`), or with a plain bug (`broken`).
 */
export class SwitchableStore extends MemoryConversationStore {
  down = false;
  broken = false;

  override async loadTurn(id: string, deliveryKey?: string) {
    if (this.broken) throw new TypeError('a bug');
    this.check();
    return super.loadTurn(id, deliveryKey);
  }

  override async load(id: string) {
    this.check();
    return super.load(id);
  }

  private check(): void {
    if (this.down) throw new AppError('tsid_store_unavailable', 'store down (test)');
  }
}
