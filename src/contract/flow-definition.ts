import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import type { InboundEvent, Locale, PromptMessage, StatusView } from './messages.js';

/** What a new conversation starts from. */
export interface FlowStart {
  locale?: Locale;
  /** Start at this step id instead of the beginning (agent-initiated guides). */
  step?: string;
  /** The stored conversation came from an older flow version that could not be upgraded. */
  guideChanged?: boolean;
  /** The stored conversation is gone (data loss) though the customer was mid-guide: say so. */
  recordLost?: boolean;
  now: number;
}

/**
 * A flow as the engine runs it. The machine must be timer-free: reminders are explicit
 * `reminder.schedule` effects, since `after` timers do not survive a persisted snapshot.
 */
export interface FlowDefinition {
  id: string;
  /** Bump on an incompatible change of states or context; see `upgrade`. */
  version: number;
  machine: AnyStateMachine;
  /** The machine input for a new conversation. */
  createInput(start: FlowStart): unknown;
  /**
   * Maps an inbound event to the event the machine takes in its current state: typed
   * answers to choices, command words to `cmd.*`. Pure.
   */
  interpret(event: InboundEvent, snapshot: AnyMachineSnapshot): EventObject;
  /** The step id of STEPS.md the conversation is at. */
  currentStep(snapshot: AnyMachineSnapshot): string;
  /** Where the customer is and each company's status, localised. */
  status(snapshot: AnyMachineSnapshot): StatusView;
  /**
   * The question a clicked choice id answers, rebuilt as the flow asked it (choices as sent),
   * when it is the question being asked in `snapshot`; undefined otherwise (an older
   * question, an id the flow never offered). Adapters redraw the clicked message from it,
   * never from what the click's payload says the message was.
   */
  question?(snapshot: AnyMachineSnapshot, choiceId: string): PromptMessage | undefined;
  /**
   * True for an event that only a conversation already under way can send (a click on a
   * question the flow asked): with no record, the record was lost, and the customer is told.
   */
  continues?(event: InboundEvent): boolean;
  /**
   * Brings a snapshot saved by an older flow version up to date. Returns undefined when it
   * cannot; the engine then restarts the conversation at `fallbackStep` and says so.
   */
  upgrade?(snapshot: unknown, fromVersion: number): { snapshot: unknown } | { fallbackStep: string } | undefined;
}
