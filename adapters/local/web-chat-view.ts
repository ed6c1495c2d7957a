import {
  maskEmail,
  maskPersonalData,
  maskVat,
  UNDELIVERABLE_RELAY,
  type OutboundMessage,
} from '../../src/engine/index.js';

/** Who a line of the web chat is from; `helpdesk` and `command` lines go to the side panel. */
export type ChatSender = 'you' | 'bot' | 'agent' | 'helpdesk' | 'command';

/** One line of the web chat as the page receives it: plain text only, the page never parses markup. */
export interface ChatEntry {
  /** Grows by one per session; the page asks for entries after the last one it has. */
  seq: number;
  from: ChatSender;
  text: string;
  agentName?: string;
  step?: string;
  choices?: {
    id: string;
    label: string;
    style?: 'primary' | 'danger';
    confirm?: { title: string; text: string; yes: string; no: string };
  }[];
  /** http(s) links only: anything else (javascript:, data:) is dropped here and again by the page. */
  links?: { label: string; url: string }[];
  /** The page's message id of a line the person typed (a retried post is not shown twice). */
  clientId?: string;
}

export type ChatLine = Omit<ChatEntry, 'seq'>;

/** An outbound message as a web chat line; helpdesk messages read as the agent would see them. */
export function toChatLine(message: OutboundMessage): ChatLine {
  switch (message.kind) {
    case 'prompt': {
      const links = (message.links ?? [])
        .filter((link) => isWebUrl(link.url))
        .map(({ label, url }) => ({ label, url }));
      const choices = (message.choices ?? []).map(({ id, label, style, confirm }) => ({
        id,
        label,
        ...(style ? { style } : {}),
        ...(confirm ? { confirm } : {}),
      }));
      return {
        from: 'bot',
        step: message.step,
        text: message.text,
        ...(choices.length ? { choices } : {}),
        ...(links.length ? { links } : {}),
      };
    }
    case 'agent.text':
      return { from: 'agent', agentName: message.agentName, text: message.text };
    case 'handoff.request': {
      const { summary } = message;
      const lines = [`Hand-off requested (${summary.reason}) at ${summary.step}, language ${summary.locale}.`];
      for (const company of summary.companies)
        lines.push(`• ${company.name}${company.vat ? ` (${maskVat(company.vat)})` : ''}: ${company.status}`);
      if (summary.email) lines.push(`E-mail: ${maskEmail(summary.email)}`);
      if (summary.lastMessages.length)
        lines.push(`Last messages: ${summary.lastMessages.map(maskPersonalData).join(' | ')}`);
      lines.push('Answer as the agent: /agent take NAME');
      return { from: 'helpdesk', step: summary.step, text: lines.join('\n') };
    }
    case 'handoff.relay':
      return { from: 'helpdesk', text: `Customer: ${message.text}` };
    case 'handoff.resumed':
      return { from: 'helpdesk', step: message.step, text: `Handed back to ${message.step} by ${message.agentName}.` };
    case 'handoff.rejected':
      return { from: 'helpdesk', step: message.step, text: `Hand-back to ${message.step} refused: ${message.reason}.` };
    case 'handoff.undeliverable':
      return { from: 'helpdesk', text: UNDELIVERABLE_RELAY };
  }
}

/** True for absolute http: and https: URLs. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
