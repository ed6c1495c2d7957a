import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { BotOutput, DriverFactory, TranscriptDriver } from './driver.js';
import { parseTranscript, type Transcript, type TranscriptLine } from './transcript-format.js';

const folder = dirname(fileURLToPath(import.meta.url));

/** Every transcript under test/transcripts/, parsed. */
export function loadTranscripts(): Transcript[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => parseTranscript(file, readFileSync(join(folder, file), 'utf8')));
}

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Replays every transcript through one channel: one test per transcript. */
export function describeTranscripts(channel: string, factory: DriverFactory): void {
  describe(`transcripts through ${channel}`, () => {
    for (const transcript of loadTranscripts()) {
      it(transcript.name, async () => {
        const driver = await factory({ locale: transcript.locale, login: transcript.login, helpdesk: transcript.helpdesk });
        try {
          await runTranscript(transcript, driver);
        } finally {
          await driver.close();
        }
      });
    }
  });
}

/** Plays the customer's side and checks every bot message, in order, with nothing left over. */
export async function runTranscript(transcript: Transcript, driver: TranscriptDriver): Promise<void> {
  const queues: Record<BotOutput['audience'], BotOutput[]> = { customer: [], helpdesk: [] };
  const collect = async () => {
    for (const output of await driver.drain()) queues[output.audience].push(output);
  };
  const where = (line: TranscriptLine) => `${transcript.name}:${line.line}`;
  const leftovers = async (line: TranscriptLine) => {
    await collect();
    const left = [...queues.customer, ...(driver.observesHelpdesk ? queues.helpdesk : [])];
    if (left.length > 0) throw new Error(`${where(line)}: unexpected message(s) before this line:\n${left.map(show).join('\n')}`);
    queues.helpdesk.length = 0;
  };
  for (const line of transcript.lines) {
    switch (line.kind) {
      case 'say':
        await leftovers(line);
        await driver.say(line.text);
        break;
      case 'click':
        await leftovers(line);
        await driver.click(line.label);
        break;
      case 'wait':
        await leftovers(line);
        await driver.advance(line.ms);
        break;
      case 'event':
        await leftovers(line);
        await driver.inject(line.event);
        break;
      case 'step':
        expect(`${where(line)} ${await driver.currentStep()}`).toBe(`${where(line)} ${line.step}`);
        break;
      case 'expect':
        if (line.audience === 'helpdesk' && !driver.observesHelpdesk) break;
        await collect();
        checkMessage(line, queues[line.audience].shift(), where(line));
        break;
    }
  }
  await leftovers({ kind: 'step', step: 'end', line: transcript.lines.at(-1)?.line ?? 0 });
}

function checkMessage(line: TranscriptLine & { kind: 'expect' }, output: BotOutput | undefined, at: string): void {
  if (!output) throw new Error(`${at}: expected a message containing "${line.text}", got none`);
  if (!containsInOrder(fold(output.text), fold(line.text).split(/\s*(?:\.\.\.|…)\s*/))) {
    throw new Error(`${at}: expected a message containing\n  "${line.text}"\ngot\n  ${show(output)}`);
  }
  if (line.choices) expect(`${at} ${JSON.stringify(output.choices)}`).toBe(`${at} ${JSON.stringify(line.choices)}`);
  for (const label of line.links) {
    if (!output.links.some((link) => link.label === label)) {
      throw new Error(`${at}: expected a link "${label}", got ${JSON.stringify(output.links)}`);
    }
  }
}

/** `a ... b` in an expectation: both fragments, in this order, anything between. */
function containsInOrder(text: string, fragments: string[]): boolean {
  let from = 0;
  for (const fragment of fragments) {
    const at = text.indexOf(fragment, from);
    if (at < 0) return false;
    from = at + fragment.length;
  }
  return true;
}

function show(output: BotOutput): string {
  const choices = output.choices.length > 0 ? ` ${output.choices.map((c) => `[${c}]`).join(' ')}` : '';
  return `${output.audience === 'helpdesk' ? '<<' : '<'} ${fold(output.text)}${choices}`;
}
