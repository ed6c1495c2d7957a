/**
 * Helpdesk hand-offs, channel-neutral: the summary post, the relay both ways, hand-back
 * to a named step, agent-started guides. Adapters implement `HelpdeskPort` and call the
 * service's actions; main.ts routes helpdesk-audience deliveries to `service.deliver`.
 * @packageDocumentation
 */
export { HandoffService, type AgentAction, type HandoffServiceOptions, type HandoffLog } from './handoff-service.js';
export {
  MemoryHandoffStore,
  type HandoffStore,
  type HandoffRecord,
  type HandoffAgent,
  type NewHandoff,
  type OpenResult,
  type TakeResult,
  type HandoffCardBase,
} from './handoff-store.js';
export type {
  ActionOutcome,
  HandoffCard,
  HelpdeskActor,
  HelpdeskPlatform,
  HelpdeskPort,
  HelpdeskPost,
  ThreadNote,
} from './helpdesk-port.js';
export { handoffTitle } from './handoff-card.js';
