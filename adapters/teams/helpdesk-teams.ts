import type { CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import { AppError } from '../../src/errors.js';
import { PerKeyQueue, type Delivery } from '../../src/engine/index.js';
import type { HandoffCard, HelpdeskActor, HelpdeskPort, HelpdeskPost, ThreadNote } from '../../src/handoff/index.js';
import { connectorRejection } from './deliver-retry.js';
import { renderHandoffCard, renderThreadNote, type HelpdeskCardActivity } from './helpdesk-card.js';
import { CHANNEL_AUDIENCE } from './teams-auth.js';

/** Where the Teams helpdesk is: the team channel the bot was added to (`TEAMS_HELPDESK_CHANNEL`). */
export interface TeamsHelpdeskOptions {
  /** The channel id, `19:…@thread.tacv2`. */
  channelId: string;
  /** The Bot Connector for the team; learned from activities in the channel when unset. */
  serviceUrl?: string;
  /** The team's tenant; learned from activities in the channel when unset. */
  tenantId?: string;
}

/** Where a hand-off post is in Teams: its reply chain and the card's activity id. */
export interface TeamsPostRef {
  conversationId: string;
  activityId?: string;
  serviceUrl: string;
}

const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** The thread id the hand-off service knows a Teams post by. */
export function teamsThread(conversationId: string): string {
  return `teams:${conversationId}`;
}

/** The channel a conversation id belongs to: `19:x@thread.tacv2;messageid=1` → `19:x@thread.tacv2`. */
export function channelOf(conversationId: string | undefined): string | undefined {
  return conversationId?.split(';')[0];
}

/**
 * The helpdesk in a Teams channel: a new post (its own reply chain) per hand-off, replies
 * into that chain, the card redrawn in place. A helpdesk member is whoever acts in the
 * channel: Teams only delivers the channel's activities to people who can see it.
 */
export class TeamsHelpdesk implements HelpdeskPort {
  readonly platform = 'teams' as const;
  private readonly queue = new PerKeyQueue();
  private learned: { serviceUrl?: string; tenantId?: string; botId?: string } = {};

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly options: TeamsHelpdeskOptions,
    private readonly retry: <T>(call: () => Promise<T>) => Promise<T>,
  ) {}

  get channelId(): string {
    return this.options.channelId;
  }

  /** Whether an activity comes from the helpdesk channel (a post, a reply, a card click). */
  owns(activity: TurnContext['activity']): boolean {
    const channel = (activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
    return channel === this.channelId || channelOf(activity.conversation?.id) === this.channelId;
  }

  /** Remembers where the team's connector is, from an activity in the channel. */
  learn(activity: TurnContext['activity']): void {
    const tenantId =
      activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    this.learned = {
      serviceUrl: activity.serviceUrl ?? this.learned.serviceUrl,
      tenantId: tenantId ?? this.learned.tenantId,
      botId: activity.recipient?.id ?? this.learned.botId,
    };
  }

  async post(card: HandoffCard, customer: Delivery): Promise<HelpdeskPost> {
    const where = this.where(customer.reference as Partial<ConversationReference> | undefined);
    const parameters = {
      isGroup: true,
      bot: { id: where.botId, name: '' },
      tenantId: where.tenantId,
      channelData: { channel: { id: this.channelId }, ...(where.tenantId ? { tenant: { id: where.tenantId } } : {}) },
      activity: renderHandoffCard(card),
    } as unknown as ConversationParameters;
    let conversationId: string | undefined;
    await this.retry(() =>
      this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        where.serviceUrl,
        CHANNEL_AUDIENCE,
        parameters,
        async (context) => {
          conversationId = context.activity.conversation.id;
        },
      ),
    );
    if (!conversationId) throw new AppError('tsid_delivery_failed', 'the connector created no hand-off post');
    // Teams names a channel post's reply chain after the post: `<channel>;messageid=<post id>`.
    const activityId = /;messageid=(.+)$/.exec(conversationId)?.[1];
    const ref: TeamsPostRef = { conversationId, activityId, serviceUrl: where.serviceUrl };
    return { platform: 'teams', thread: teamsThread(conversationId), ref };
  }

  async update(post: HelpdeskPost, card: HandoffCard): Promise<void> {
    const ref = post.ref as TeamsPostRef;
    if (!ref.activityId) return;
    await this.send(ref, (context) => context.updateActivity({ ...renderHandoffCard(card), id: ref.activityId }));
  }

  async reply(post: HelpdeskPost, note: ThreadNote): Promise<void> {
    await this.send(post.ref as TeamsPostRef, (context) => context.sendActivity(renderThreadNote(note)));
  }

  async isMember(actor: HelpdeskActor): Promise<boolean> {
    return actor.platform === 'teams' && channelOf(actor.conversationId) === this.channelId;
  }

  /** Sends into a post's reply chain, in order; a failure is carried out of the SDK's callback. */
  private async send(ref: TeamsPostRef, act: (context: TurnContext) => Promise<unknown>): Promise<void> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: ref.serviceUrl,
      conversation: { id: ref.conversationId, isGroup: true, conversationType: 'channel', name: '' },
      bot: { id: this.learned.botId ?? `28:${this.appId}`, name: '' },
    };
    await this.queue.run(ref.conversationId, async () => {
      let failure: unknown;
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          await this.retry(() => act(context));
        } catch (error) {
          failure = error;
        }
      });
      if (failure !== undefined) throw connectorRejection(failure);
    });
  }

  /** The team's connector, tenant and bot id: configured, learned, or the customer's when they are a Teams user too. */
  private where(customer: Partial<ConversationReference> | undefined) {
    const fromCustomer = customer?.channelId === 'msteams' ? customer : undefined;
    return {
      serviceUrl: this.options.serviceUrl ?? this.learned.serviceUrl ?? fromCustomer?.serviceUrl ?? DEFAULT_SERVICE_URL,
      tenantId: this.options.tenantId ?? this.learned.tenantId ?? fromCustomer?.conversation?.tenantId,
      botId: this.learned.botId ?? fromCustomer?.bot?.id ?? `28:${this.appId}`,
    };
  }
}

export type { HelpdeskCardActivity };
