import { UNDELIVERABLE_RELAY, type OutboundMessage } from '../../src/engine/index.js';

/** A message as terminal text: buttons as numbered choices, links on their own lines. */
export function renderText(message: OutboundMessage): string {
  switch (message.kind) {
    case 'prompt': {
      const lines = [`bot: ${message.text.replace(/\n/g, '\n     ')}`];
      for (const link of message.links ?? []) lines.push(`     🔗 ${link.label}: ${link.url}`);
      (message.choices ?? []).forEach((choice, index) => {
        const mark = choice.style === 'danger' ? ' (!)' : '';
        lines.push(`     ${index + 1}) ${choice.label}${mark}`);
      });
      return lines.join('\n');
    }
    case 'agent.text':
      return `${message.agentName} (helpdesk): ${message.text}`;
    case 'handoff.request':
      return `[helpdesk] hand-off requested (${message.summary.reason}) at ${message.summary.step}`;
    case 'handoff.relay':
      return `[helpdesk] customer: ${message.text}`;
    case 'handoff.resumed':
      return `[helpdesk] handed back to ${message.step} by ${message.agentName}`;
    case 'handoff.rejected':
      return `[helpdesk] hand-back to ${message.step} refused: ${message.reason}`;
    case 'handoff.undeliverable':
      return `[helpdesk] ${UNDELIVERABLE_RELAY}`;
  }
}
