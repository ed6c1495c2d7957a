import { randomUUID } from 'node:crypto';
import type { ApiCall, FakeSlackApi } from '../../adapters/slack/fake-slack-api.js';
import { dmMessage, SlackRequests } from '../../adapters/slack/signed-request.js';
import { asSlackSendsIt } from '../../adapters/slack/slack-driver.js';
import { clickPayload } from '../../adapters/slack/slack-payloads.js';
import { Router, type Tracked } from './tracked.js';
import type { Request, WireClient } from './wire-client.js';

const TEAM = 'T1';

/** Routes the fake Web API's posts and updates to the DM they went to (`D<user>`). */
export function slackRouter(fake: FakeSlackApi): Router {
  const router = new Router();
  fake.keepCalls = false;
  fake.onCall = (call: ApiCall) => {
    if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') return;
    const ts = call.method === 'chat.postMessage' ? call.ts! : String(call.args.ts);
    router.deliver(String(call.args.channel), { id: ts, body: call.args }, call.method === 'chat.update');
  };
  return router;
}

/** Slack's side: signed Events API messages and `block_actions` clicks to `/slack/events`. */
export class SlackClient implements WireClient {
  readonly channel = 'slack';
  private readonly requestsTo: SlackRequests;

  constructor(
    base: string,
    private readonly router: Router,
    private readonly fake: FakeSlackApi,
  ) {
    this.requestsTo = new SlackRequests(base);
  }

  requests(steps: Request[]): Request[] {
    return steps;
  }

  open(user: string): Tracked {
    return this.router.open(`D${user}`, user);
  }

  close(tracked: Tracked): void {
    this.router.close(`D${tracked.user}`);
  }

  async send(tracked: Tracked, request: Request): Promise<number> {
    if ('say' in request)
      return (await this.requestsTo.event(dmMessage(tracked.user, asSlackSendsIt(request.say)), { team: TEAM })).status;
    if (!('click' in request)) throw new Error('Slack has no confirmation cards');
    const shown = tracked.latest.map(({ id, body }) => ({ ts: id, blocks: body.blocks, text: String(body.text) }));
    const payload = clickPayload(shown, request.click, {
      team: TEAM,
      user: tracked.user,
      responseUrl: `${this.fake.origin}/respond/${randomUUID()}`,
    });
    return (await this.requestsTo.interaction(payload)).status;
  }

  lastText(tracked: Tracked): string {
    return String(tracked.latest.at(-1)?.body.text ?? '');
  }
}
