import type { InboundEvent, Locale } from '../../src/engine/index.js';

/** One bot message as the customer (or the helpdesk) sees it, read back from the channel. */
export interface BotOutput {
  audience: 'customer' | 'helpdesk';
  /** The visible text, plain (markup removed, entities decoded), whitespace folded. */
  text: string;
  /** Button labels, in order. */
  choices: string[];
  links: { label: string; url: string }[];
}

/**
 * Drives one customer conversation through a channel: the engine directly, Slack through
 * Bolt over signed HTTP, Teams through the CloudAdapter over HTTP. One transcript runner,
 * one driver per channel, the same expectations.
 */
export interface TranscriptDriver {
  /** The customer types a message. */
  say(text: string): Promise<void>;
  /** The customer clicks the button with this label on the newest message that has it. */
  click(label: string): Promise<void>;
  /** Simulated time passes; reminders that come due are delivered. */
  advance(ms: number): Promise<void>;
  /** An event from the runtime arrives (login completed, agent actions). */
  inject(event: InboundEvent): Promise<void>;
  /** Every message sent since the last call, in order. */
  drain(): Promise<BotOutput[]>;
  /** The step id the conversation is at, read from the store. */
  currentStep(): Promise<string | undefined>;
  close(): Promise<void>;
  /** True when the driver also sees what goes to the helpdesk (`<<` lines); else those lines are not checked. */
  readonly observesHelpdesk?: boolean;
}

export interface DriverOptions {
  /** The customer's platform locale (Slack user locale, Teams activity.locale). */
  locale?: Locale;
  /** The deployment has OIDC login links (`@login`); build the flow with `transcriptFlow(options)`. */
  login?: boolean;
  /**
   * `@helpdesk slack|teams`: where the helpdesk is. Default: the customer's own platform
   * (the engine driver has none); a Teams customer can be served by a Slack helpdesk.
   */
  helpdesk?: 'slack' | 'teams';
}

export type DriverFactory = (options: DriverOptions) => Promise<TranscriptDriver>;
