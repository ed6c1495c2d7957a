import { conversationId, type OutboundMessage, type TurnHandler } from '../engine/index.js';
import type { CampaignStore } from './campaign.js';

export interface ProgressOptions {
  store: CampaignStore;
  /** Whether a turn's messages say the customer opted out (the flow's answer to `stop`). */
  optedOut: (messages: OutboundMessage[]) => boolean;
  now?: () => number;
  onError: (error: unknown) => void;
}

/**
 * Wraps the turns so every turn of a campaign customer notes the step reached, a hand-off
 * and an opt-out in the campaign's progress. Noted after the turn, never in its way: a
 * failed note is logged and the turn's result stands.
 */
export function trackCampaignProgress(turns: TurnHandler, options: ProgressOptions): TurnHandler {
  const now = options.now ?? Date.now;
  const note = async (id: string, step: string | undefined, messages: OutboundMessage[]) => {
    const campaign = await options.store.campaignOf(id);
    if (!campaign) return;
    const flags = [
      ...(messages.some((message) => message.kind === 'handoff.request') ? ['handoff'] : []),
      ...(options.optedOut(messages) ? ['optout'] : []),
    ];
    await options.store.noteProgress(campaign, id, step, flags, now());
  };
  return {
    handle: async (inbound) => {
      const result = await turns.handle(inbound);
      if (result.status === 'done')
        await note(conversationId(inbound.key), result.step, result.messages).catch(options.onError);
      return result;
    },
    status: (key) => turns.status(key),
  };
}
