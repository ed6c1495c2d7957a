import type { FlowEffect, PromptMessage } from '../contract/messages.js';

/**
 * One turn, one message: the customer prompts a turn emits (a notice, then the next question)
 * become one message, so a platform's pace can never split a turn and a quick customer never
 * answers half of one. A prompt with buttons ends the message (its buttons go last); an
 * agent's words stay their own message. Other effects keep their order around it.
 */
export function oneMessagePerTurn(effects: FlowEffect[]): FlowEffect[] {
  const out: FlowEffect[] = [];
  let open: number | undefined; // index in `out` of the prompt still taking parts
  for (const effect of effects) {
    if (effect.type !== 'message') {
      out.push(effect);
      continue;
    }
    const { message } = effect;
    if (message.kind === 'agent.text') open = undefined;
    if (message.kind !== 'prompt') {
      out.push(effect);
      continue;
    }
    const held = open === undefined ? undefined : (out[open] as FlowEffect & { type: 'message' }).message;
    if (held?.kind === 'prompt') {
      out[open!] = { type: 'message', message: joinPrompts(held, message) };
    } else {
      open = out.length;
      out.push(effect);
    }
    if (message.choices?.length) open = undefined;
  }
  return out;
}

/** `first` then `next` as one message: the texts as sections, the links in order, `next`'s buttons. */
export function joinPrompts(first: PromptMessage, next: PromptMessage): PromptMessage {
  const sections = [...(first.sections ?? [first.text]), ...(next.sections ?? [next.text])];
  const links = [...(first.links ?? []), ...(next.links ?? [])];
  const login = first.loginLink ? first : next.loginLink ? next : undefined;
  return {
    kind: 'prompt',
    step: next.step,
    text: sections.join('\n\n'),
    sections,
    ...(next.choices ? { choices: next.choices } : {}),
    ...(links.length > 0 ? { links } : {}),
    ...(login ? { loginLink: true, loginLabel: login.loginLabel } : {}),
    ...((next.locale ?? first.locale) ? { locale: next.locale ?? first.locale } : {}),
  };
}
