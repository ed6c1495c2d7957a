import { createTsidFlow, defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import type { FlowDefinition, OutboundMessage, PrepareMessage } from '../../src/engine/index.js';
import type { DriverOptions } from './driver.js';

/** The flow every driver runs a transcript with: default settings, login links per `@login`. */
export function transcriptFlow(options: DriverOptions): FlowDefinition {
  return createTsidFlow({ ...defaultFlowSettings, loginEnabled: options.login ?? false });
}

let linkCount = 0;

/**
 * Stands in for src/auth in transcripts: attaches a login link the way the real module
 * does (the login itself arrives as a `! login` event). test/auth covers the real one.
 */
export const transcriptLoginLinks: PrepareMessage = async (message: OutboundMessage) => {
  if (message.kind !== 'prompt' || !message.loginLink) return message;
  linkCount += 1;
  const link = { label: message.loginLabel ?? 'TS ID', url: `https://bot.example.test/auth/login/transcript-${linkCount}` };
  return { ...message, links: [...(message.links ?? []), link] };
};
