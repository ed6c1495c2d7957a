import { createHash } from 'node:crypto';
import { hashLoginCode } from '../../src/contract/login-code.js';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getShortestPaths } from 'xstate/graph';
import { transition, type AnyMachineSnapshot, type AnyStateNode } from 'xstate';
import { createTsidFlow, defaultFlowSettings, STEP_IDS, STEP_TARGETS } from '../../flows/tsid-digital-invoice/index.js';
import type { FlowContext } from '../../flows/tsid-digital-invoice/index.js';
import type { FlowEffect, InboundEvent, Locale, OutboundMessage } from '../../src/engine/index.js';

const VENDORED_STEPS = 'docs/STEPS.md';
const SHARED_STEPS = '../shared/guide/STEPS.md';
// The shared guide's hash when it was vendored: a change on either side fails even without shared/.
// Updating the guide: copy the shared file to docs/STEPS.md and record its new sha256 here.
const SHARED_STEPS_SHA256 = '323a04ffe71b5f920e77f8bc459d6f9df60744556eef7b29f53e7932c37c39cc';
const flow = createTsidFlow({ ...defaultFlowSettings, loginEnabled: true });
const emailFlow = createTsidFlow(defaultFlowSettings);

const code = hashLoginCode('123456', 'graph');

/** Every event the outside world can send, given where the conversation is. */
function eventsAt(snapshot: AnyMachineSnapshot): InboundEvent[] {
  const context = snapshot.context as FlowContext;
  return [
    ...context.offered.map((choice) => ({ type: 'user.choice' as const, choiceId: choice.id })),
    { type: 'user.choice', choiceId: 'not-offered' },
    { type: 'user.text', text: 'qualcosa di incomprensibile' },
    { type: 'user.text', text: 'Bar Roma 01234560785' },
    { type: 'user.text', text: 'Bar Roma, Pizzeria Napoli 12345670124' },
    { type: 'user.text', text: 'Bar Roma 01234567890' },
    { type: 'user.text', text: 'mario@example.it' },
    { type: 'user.text', text: 'mario@gmial.com' },
    { type: 'cmd.agent' },
    { type: 'cmd.status' },
    { type: 'cmd.restart' },
    { type: 'cmd.stop' },
    { type: 'cmd.erase' },
    { type: 'cmd.help' },
    { type: 'cmd.language', locale: context.locale },
    { type: 'session.start', step: 'invoice.invite' },
    { type: 'auth.completed', issuer: 'https://id.test', subject: 's', email: 'a@b.it', emailVerified: true, code },
    { type: 'auth.completed', issuer: 'https://id.test', subject: 's', email: 'a@b.it', emailVerified: false, code },
    { type: 'user.text', text: '123456' }, // the code of the browser page
    { type: 'user.text', text: '000000' }, // a wrong code
    { type: 'auth.failed', reason: 'provider_unavailable' },
    { type: 'auth.failed', reason: 'sign_in_failed' },
    ...(context.pendingReminder ? [{ type: 'reminder.due' as const, reminderId: context.pendingReminder }] : []),
    { type: 'agent.accepted', agentName: 'Giulia' },
    { type: 'agent.text', agentName: 'Giulia', text: 'ciao' },
    { type: 'agent.handback', agentName: 'Giulia', step: 'tsid.connect' },
    { type: 'agent.handback', agentName: 'Giulia', step: 'invoice.wait-green' },
    { type: 'agent.closed', agentName: 'Giulia' },
    { type: 'agent.timeout' },
  ];
}

// State identity for the traversal: where it is plus the context that guards read (bounded).
function serialize(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as FlowContext;
  return JSON.stringify([
    snapshot.value,
    c.hasTsId,
    Math.min(c.companies.length, 2),
    Math.min(c.draftCompanies.length, 2),
    c.current,
    !!c.pendingReminder,
    c.pendingIdentity?.emailVerified,
    c.codeAttempts,
    Math.min(c.retries, 2),
  ]);
}

function pathsOf(definition = flow, locale: Locale = 'it') {
  return getShortestPaths(definition.machine, {
    events: eventsAt as never,
    serializeState: serialize as never,
    input: { locale },
  });
}

function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

function atomicStates(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) return node.type === 'history' ? [] : [node];
  return children.flatMap(atomicStates);
}

function allStates(node: AnyStateNode): AnyStateNode[] {
  return [node, ...(Object.values(node.states) as AnyStateNode[]).flatMap(allStates)];
}

// Transient states (only `always` transitions) are passed through, never rested in.
const isTransient = (node: AnyStateNode) => node.always !== undefined && node.always.length > 0;

describe('the guide as a graph', () => {
  const paths = [...pathsOf(flow), ...pathsOf(emailFlow)];

  it('reaches every state of the chart', () => {
    const reached = new Set(paths.flatMap((path) => leafPaths(path.state.value)));
    const expected = atomicStates(flow.machine.root)
      .filter((node) => !isTransient(node) && node.key !== 'memory')
      .map((node) => node.path.join('.'));
    expect(expected.filter((state) => !reached.has(state))).toEqual([]);
    expect(expected.length).toBeGreaterThan(30);
  });

  it('renders every message of every transition in Italian and English, with no placeholder left', () => {
    let checked = 0;
    for (const path of paths) {
      const last = path.steps.at(-1);
      const before = path.steps.at(-2)?.state;
      if (!last || !before) continue;
      for (const locale of ['it', 'en'] as const) {
        const snapshot = { ...before, context: { ...before.context, locale } } as AnyMachineSnapshot;
        const [, actions] = transition(flow.machine, snapshot, last.event as never);
        for (const action of actions as { type: string; params?: { event?: FlowEffect } }[]) {
          const effect = action.params?.event;
          if (action.type === 'xstate.emit' && effect?.type === 'message')
            checkRendered(effect.message, JSON.stringify(path.state.value));
          if (action.type === 'xstate.emit') checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('names every step of docs/STEPS.md (the vendored guide) in some state, and resumes at each of them', () => {
    const inMeta = new Set(
      allStates(flow.machine.root).map((node) => (node.meta as { step?: string } | undefined)?.step),
    );
    const documented = stepIdsOf(readFileSync(VENDORED_STEPS, 'utf8'));
    expect(documented).toEqual([...STEP_IDS]);
    expect(documented.filter((step) => !inMeta.has(step))).toEqual([]);
    for (const step of STEP_IDS) {
      const node = flow.machine.getStateNodeById(STEP_TARGETS[step].slice(1));
      expect(`${step} → ${(node.meta as { step?: string }).step}`).toBe(`${step} → ${step}`);
    }
  });

  it('keeps docs/STEPS.md as copied from ../shared/guide/STEPS.md: the recorded hash always, the same text when shared/ is beside the clone (as in CI)', () => {
    const vendored = readFileSync(VENDORED_STEPS);
    expect(createHash('sha256').update(vendored).digest('hex')).toBe(SHARED_STEPS_SHA256);
    if (existsSync(SHARED_STEPS)) expect(vendored.toString('utf8')).toBe(readFileSync(SHARED_STEPS, 'utf8'));
  });
});

function stepIdsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((match) => match[1]);
}

function checkRendered(message: OutboundMessage, where: string): void {
  if (message.kind !== 'prompt') return;
  const texts = [message.text, ...(message.choices ?? []).map((choice) => choice.label)];
  for (const text of texts) {
    if (!text.trim() || /\{\w+\}/.test(text)) throw new Error(`bad copy "${text}" on ${where}`);
  }
}
