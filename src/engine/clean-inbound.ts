import type { InboundEvent } from '../contract/messages.js';
import { cleanText } from '../contract/text-hygiene.js';

/**
 * The event with every typed string (customer text, agent text, agent names) passed through
 * `cleanText`: one place for every channel, before the flow, the store or a relay sees it.
 */
export function cleanInboundEvent(event: InboundEvent): InboundEvent {
  switch (event.type) {
    case 'user.text':
      return { ...event, text: cleanText(event.text) };
    case 'user.choice':
      return event.text === undefined ? event : { ...event, text: cleanText(event.text) };
    case 'agent.text':
      return { ...event, agentName: cleanText(event.agentName), text: cleanText(event.text) };
    case 'agent.accepted':
    case 'agent.handback':
    case 'agent.closed':
      return { ...event, agentName: cleanText(event.agentName) };
    default:
      return event;
  }
}
