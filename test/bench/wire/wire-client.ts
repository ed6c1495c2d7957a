import type { Step } from './walks.js';
import type { Tracked } from './tracked.js';

/** One HTTP request of a walk: a step, or (Teams) the click on a confirmation card. */
export type Request = Step | { confirmed: true };

/** What a request is, for the per-kind figures: a typed answer, a click, or a click with confirmation (both its requests). */
export type StepKind = 'typed' | 'click' | 'clickConfirm';

export function stepKind(request: Request): StepKind {
  if ('say' in request) return 'typed';
  return 'confirmed' in request || request.confirm ? 'clickConfirm' : 'click';
}

/** A customer side of one platform, pointed at one bot. */
export interface WireClient {
  readonly channel: 'slack' | 'teams';
  /** The requests a walk makes on this platform. */
  requests(steps: Step[]): Request[];
  open(user: string): Tracked;
  close(tracked: Tracked): void;
  /** Sends one request; resolves with the HTTP status once the bot answered it. */
  send(tracked: Tracked, request: Request): Promise<number>;
  /** The text of the newest message of a conversation. */
  lastText(tracked: Tracked): string;
}
