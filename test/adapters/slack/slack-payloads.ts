import { randomUUID } from 'node:crypto';
import { BOT_USER_ID, type FakeSlackApi } from './fake-slack-api.js';
import { buttonsOf } from './read-blocks.js';

/** A message in a channel as the user sees it now. */
export interface ShownMessage {
  ts: string;
  blocks: unknown;
  text: string;
}

/** A channel as the user sees it: every posted message, with later chat.update calls applied. */
export function messagesIn(fake: FakeSlackApi, channel: string): ShownMessage[] {
  const messages = new Map<string, ShownMessage>();
  for (const call of fake.calls) {
    if (call.rateLimited || call.args.channel !== channel) continue;
    const ts =
      call.method === 'chat.postMessage' ? call.ts : call.method === 'chat.update' ? String(call.args.ts) : undefined;
    if (ts) messages.set(ts, { ts, blocks: call.args.blocks, text: String(call.args.text) });
  }
  return [...messages.values()];
}

/**
 * The `block_actions` payload Slack sends when the user clicks the newest choice button
 * labelled `label`, built from the blocks the bot posted (as Slack echoes them back).
 */
export function clickPayload(
  messages: ShownMessage[],
  label: string,
  who: { team: string; user: string; responseUrl: string },
): Record<string, unknown> {
  for (const message of [...messages].reverse()) {
    const button = buttonsOf(message.blocks).find(
      (b) => b.blockId.startsWith('choices') && b.element.text.text === label,
    );
    if (!button) continue;
    const channel = `D${who.user}`;
    return {
      type: 'block_actions',
      user: { id: who.user, username: 'customer', name: 'customer', team_id: who.team },
      api_app_id: 'A1',
      token: 'legacy-token',
      container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false },
      trigger_id: `trigger.${randomUUID()}`,
      team: { id: who.team, domain: 'example' },
      channel: { id: channel, name: 'directmessage' },
      message: { type: 'message', user: BOT_USER_ID, ts: message.ts, text: message.text, blocks: message.blocks },
      response_url: who.responseUrl,
      actions: [{ ...button.element, block_id: button.blockId, action_ts: `${(Date.now() / 1000).toFixed(6)}` }],
    };
  }
  const visible = messages.flatMap((m) => buttonsOf(m.blocks).map((b) => b.element.text.text));
  throw new Error(`no button "${label}" (buttons left: ${visible.join(', ') || 'none'})`);
}
