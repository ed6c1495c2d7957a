import type { FakeConnector } from '../../adapters/teams/fake-connector.js';
import { cardOf, isConfirmCard, readCard, submitActions } from '../../adapters/teams/read-cards.js';
import { BOT, TENANT } from '../../adapters/teams/teams-harness.js';
import { Router, type Tracked } from './tracked.js';
import type { Request, WireClient } from './wire-client.js';
import type { Step } from './walks.js';

const conversationOf = (user: string) => `a:bench-${user}`;

/** Routes the fake connector's posted and updated activities to their conversation. */
export function teamsRouter(fake: FakeConnector): Router {
  const router = new Router();
  fake.keepActivities = false;
  fake.onActivity = (entry) =>
    router.deliver(entry.conversationId, { id: entry.id, body: entry.activity }, entry.method === 'PUT');
  return router;
}

/** Teams' side: activities to `/api/messages` with a channel token, card clicks as `Action.Submit` values. */
export class TeamsClient implements WireClient {
  readonly channel = 'teams';
  private nextId = 0;

  constructor(
    private readonly url: string,
    private readonly router: Router,
    private readonly fake: FakeConnector,
    private readonly token: string,
  ) {}

  /** A click on a button that asks "are you sure?" is two requests in Teams: the click and the "yes". */
  requests(steps: Step[]): Request[] {
    return steps.flatMap((step): Request[] => ('click' in step && step.confirm ? [step, { confirmed: true }] : [step]));
  }

  open(user: string): Tracked {
    return this.router.open(conversationOf(user), user);
  }

  close(tracked: Tracked): void {
    this.router.close(conversationOf(tracked.user));
  }

  async send(tracked: Tracked, request: Request): Promise<number> {
    const fields = 'say' in request ? { text: request.say } : this.submit(tracked, request);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(this.activity(tracked.user, fields)),
    });
    await response.arrayBuffer();
    return response.status;
  }

  lastText(tracked: Tracked): string {
    const last = tracked.latest.at(-1)?.body;
    if (!last) return '';
    return last.attachments ? readCard(cardOf(last)).text : String(last.text ?? '');
  }

  /** The `Action.Submit` of the newest card with this button (or the confirmation card's "yes"). */
  private submit(tracked: Tracked, request: Exclude<Request, { say: string }>): { value: unknown; replyToId: string } {
    for (const message of [...tracked.latest].reverse()) {
      if (!message.body.attachments) continue;
      const card = cardOf(message.body);
      const action =
        'confirmed' in request
          ? isConfirmCard(card) && submitActions(card).find((candidate) => candidate.data.tsid === 'confirmed')
          : submitActions(card).find((candidate) => candidate.title === request.click);
      if (action) return { value: action.data, replyToId: message.id };
    }
    throw new Error(`${tracked.user}: no button for ${JSON.stringify(request)} on the newest cards`);
  }

  private activity(user: string, fields: Record<string, unknown>): Record<string, unknown> {
    this.nextId++;
    return {
      type: 'message',
      id: `bench-${this.nextId}`,
      channelId: 'msteams',
      serviceUrl: this.fake.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${user}`, aadObjectId: user, name: 'Bench Customer' },
      recipient: { ...BOT },
      conversation: {
        id: conversationOf(user),
        conversationType: 'personal',
        tenantId: TENANT,
        isGroup: false,
        name: '',
      },
      channelData: { tenant: { id: TENANT } },
      locale: 'it-IT',
      ...fields,
    };
  }
}
