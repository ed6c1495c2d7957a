import type { CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import { CHANNEL_AUDIENCE } from './teams-auth.js';
import { referenceOf } from './to-event.js';

/**
 * Opens (or finds: Teams returns the existing one) the 1:1 chat between the bot and the
 * author of a channel or group message, and returns its delivery address. The guide asks
 * for personal data, so it never runs in a shared conversation. Teams answers 403 when
 * the user has not installed the app for personal use; the caller then only points there.
 */
export async function openPersonalChat(
  adapter: CloudAdapter,
  appId: string,
  context: TurnContext,
): Promise<Partial<ConversationReference>> {
  const { activity } = context;
  const tenantId =
    activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const parameters = {
    isGroup: false,
    bot: { id: activity.recipient.id, name: '' },
    members: [{ id: activity.from.id, name: '' }],
    tenantId,
    channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
  } as ConversationParameters;
  let conversationId: string | undefined;
  await adapter.createConversationAsync(
    appId,
    activity.channelId,
    activity.serviceUrl,
    CHANNEL_AUDIENCE,
    parameters,
    async (created) => {
      conversationId = created.activity.conversation.id;
    },
  );
  if (!conversationId) throw new Error('the connector created no conversation');
  const reference = referenceOf(activity);
  return {
    ...reference,
    conversation: { id: conversationId, tenantId, conversationType: 'personal', isGroup: false, name: '' },
  };
}
