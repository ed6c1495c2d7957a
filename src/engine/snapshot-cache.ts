import { randomBytes } from 'node:crypto';
import type { AnyMachineSnapshot } from 'xstate';
import type { ConversationRecord } from '../store/conversation-store.js';

/** How many conversations keep their live snapshot by default (a few KB each). */
export const DEFAULT_SNAPSHOT_CACHE_SIZE = 5_000;

/**
 * A new conversation's incarnation: it tells a conversation apart from an earlier one with the
 * same id (erased, then started again), whose revisions counted from 1 as well. 48 random bits.
 */
export function newIncarnation(): string {
  return randomBytes(6).toString('base64url');
}

interface Entry {
  revision: number;
  incarnation: string;
  snapshot: AnyMachineSnapshot;
}

/**
 * The live snapshot each recently saved conversation ended its last turn with, so the next
 * turn skips restoring it from the record. A hit needs the loaded record's revision and
 * incarnation to be the ones this instance saved: the save's compare-and-set writes a revision
 * of an incarnation once, so the record is then the very one the snapshot was saved as, whatever
 * other instances did meanwhile (a newer save moves the revision; an erasure and a new start
 * change the incarnation). A record without an incarnation (saved before there was one) never
 * hits. Least recently used entries go first; XState snapshots are never changed in place, so
 * one can be the start of the next turn.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number = DEFAULT_SNAPSHOT_CACHE_SIZE) {}

  /** The live snapshot `record` was saved as, when this instance saved it and still has it. */
  get(id: string, record: ConversationRecord): AnyMachineSnapshot | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.revision !== record.revision || entry.incarnation !== record.incarnation) return undefined;
    this.entries.delete(id); // most recently used last
    this.entries.set(id, entry);
    return entry.snapshot;
  }

  /** Remembers the live snapshot of a record this instance just saved. */
  set(id: string, record: ConversationRecord, snapshot: AnyMachineSnapshot): void {
    if (this.capacity <= 0 || record.incarnation === undefined) return;
    this.entries.delete(id);
    this.entries.set(id, { revision: record.revision, incarnation: record.incarnation, snapshot });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
