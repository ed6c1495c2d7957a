import type { ChildInstance } from '../../reliability/instances.js';

/** The reminder deliveries 3 bot processes printed, counted as they come (100,000 lines: no rescans). */
export class DeliveryTally {
  readonly perConversation = new Map<string, number>();
  readonly perProcess: number[];
  total = 0;
  /** When each delivery was made (ms), in reading order. */
  readonly at: number[] = [];
  private readonly read: number[];

  constructor(
    private readonly children: ChildInstance[],
    private readonly text: string,
  ) {
    this.perProcess = children.map(() => 0);
    this.read = children.map(() => 0);
  }

  /** Takes in what the processes printed since the last call. */
  update(): void {
    for (const [i, { lines }] of this.children.entries()) {
      for (; this.read[i] < lines.length; this.read[i]++) {
        const line = lines[this.read[i]];
        if (line.t !== 'delivered' || line.text !== this.text) continue;
        const id = line.conversationId as string;
        this.perConversation.set(id, (this.perConversation.get(id) ?? 0) + 1);
        this.perProcess[i]++;
        this.total++;
        this.at.push(line.at as number);
      }
    }
  }

  /** When the `nth` delivery (1-based, in time order) was made. */
  nth(n: number): number {
    return [...this.at].sort((a, b) => a - b)[Math.min(n, this.at.length) - 1];
  }

  get duplicates(): number {
    return this.total - this.perConversation.size;
  }
}
