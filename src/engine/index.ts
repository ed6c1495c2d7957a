/**
 * The engine's public surface: adapters and flows import from here only.
 * @packageDocumentation
 */
import type { Inbound, TurnResult } from './conversation-engine.js';
import type { ConversationKey, StatusView } from '../contract/messages.js';

export * from '../contract/messages.js';
export type { FlowDefinition, FlowStart } from '../contract/flow-definition.js';
export {
  ConversationEngine,
  type Inbound,
  type Delivery,
  type Deliver,
  type PrepareMessage,
  type EngineOptions,
  type TurnResult,
} from './conversation-engine.js';
export { runTurn, restore, type TurnOutcome } from './run-turn.js';
export { systemText, type SystemTextId } from './system-text.js';
export { limitWords, type LimitWords } from './limit-text.js';
export { PerKeyQueue } from './per-key-queue.js';

/** What an adapter needs of the engine: run one turn. */
export interface TurnHandler {
  handle(inbound: Inbound): Promise<TurnResult>;
  /** Where the customer is (Slack App Home, status cards). */
  status(key: ConversationKey): Promise<StatusView | undefined>;
}
export { maskEmail, maskPersonalData, maskVat } from '../contract/privacy.js';
export { cleanText, truncateText } from '../contract/text-hygiene.js';
export { hashLoginCode } from '../contract/login-code.js';
