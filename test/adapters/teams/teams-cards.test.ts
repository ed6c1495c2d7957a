import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CapturedActivity } from './fake-connector.js';
import { cardOf, readCard, submitActions } from './read-cards.js';
import { TeamsHarness } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

let harness: TeamsHarness;
beforeEach(async () => {
  harness = await TeamsHarness.start({ flow: createTinyFlow() });
  await harness.post(harness.activity({ text: 'hi' })); // the greeting: [Yes] [Unlink ACME] (Portal)
});
afterEach(async () => harness.close());

/** Submits the button `title` of a posted card, as Teams does: its data as `value`, the card as `replyToId`. */
async function click(card: CapturedActivity, title: string) {
  const action = submitActions(cardOf(card.activity)).find((candidate) => candidate.title === title);
  if (!action) throw new Error(`no button ${title}`);
  return harness.post(harness.activity({ value: JSON.parse(JSON.stringify(action.data)), replyToId: card.id }));
}
const posted = () => harness.fake.posted().map((entry) => readCard(cardOf(entry.activity)));
const greeting = () => harness.fake.posted()[0];

describe('clicking a card button', () => {
  it('runs the choice as a turn and redraws the card as answered, without buttons', async () => {
    expect((await click(greeting(), 'Yes')).status).toBe(200);
    expect(posted().map((output) => output.text)).toEqual(['hello (it) ACME', 'you chose: yes']);
    const [update] = harness.fake.updates();
    expect(update).toMatchObject({ id: greeting().id, conversationId: greeting().conversationId });
    expect(readCard(cardOf(update.activity))).toEqual({
      audience: 'customer',
      text: 'hello (it) ACME ✔ Yes',
      choices: [],
      links: [],
    });
  });

  it('runs no turn for a second submit of the same card, whichever button', async () => {
    await click(greeting(), 'Yes');
    const turnsBefore = harness.turnsStarted;
    expect((await click(greeting(), 'Yes')).status).toBe(200);
    expect((await click(greeting(), 'Unlink ACME')).status).toBe(200); // asks for confirmation only
    const confirmation = harness.fake.posted().at(-1)!;
    await click(confirmation, 'Yes, unlink');
    expect(posted().map((output) => output.text)).toEqual([
      'hello (it) ACME',
      'you chose: yes',
      'Unlink ACME? You unlink ACME (VAT 01234567897).',
    ]);
    expect(harness.turnsStarted - turnsBefore).toBe(2); // the repeat and the confirmation: both duplicates
    expect(harness.fake.updates()).toHaveLength(1); // nothing redrawn for a duplicate
  });

  it('a dangerous choice asks for confirmation on its own card; "Cancel" closes it and runs nothing', async () => {
    await click(greeting(), 'Unlink ACME');
    const confirmation = harness.fake.posted().at(-1)!;
    expect(readCard(cardOf(confirmation.activity))).toMatchObject({
      text: 'Unlink ACME? You unlink ACME (VAT 01234567897).',
      choices: ['Yes, unlink', 'Cancel'],
    });
    expect(submitActions(cardOf(confirmation.activity))[0].style).toBe('destructive');
    await click(confirmation, 'Cancel');
    expect(harness.turnsStarted).toBe(1); // the greeting only
    expect(harness.fake.updates().map((update) => [update.id, readCard(cardOf(update.activity)).text])).toEqual([
      [confirmation.id, 'Unlink ACME? You unlink ACME (VAT 01234567897). ✔ Cancel'],
    ]);
    // The original card is still open: the customer can choose again.
    await click(greeting(), 'Yes');
    expect(posted().at(-1)!.text).toBe('you chose: yes');
  });

  it('"yes" on the confirmation runs the choice once and closes both cards', async () => {
    await click(greeting(), 'Unlink ACME');
    const confirmation = harness.fake.posted().at(-1)!;
    await click(confirmation, 'Yes, unlink');
    expect(posted().at(-1)!.text).toBe('you chose: unlink');
    expect(
      harness.fake
        .updates()
        .map((update) => update.id)
        .sort(),
    ).toEqual([confirmation.id, greeting().id].sort());
    const before = harness.fake.posted().length;
    await click(confirmation, 'Yes, unlink');
    await click(greeting(), 'Yes');
    expect(harness.fake.posted()).toHaveLength(before);
  });

  it('a card whose redraw fails still counts once: the turn is saved, the failure logged', async () => {
    harness.fake.failNext({ status: 404, times: 1, method: 'PUT' });
    expect((await click(greeting(), 'Yes')).status).toBe(200);
    expect(posted().map((output) => output.text)).toEqual(['hello (it) ACME', 'you chose: yes']);
    expect(harness.fake.updates()).toEqual([]);
    expect(harness.logs.map((entry) => entry.message)).toContain('could not mark a card as answered');
    // The card still shows its buttons in Teams, but a second submit runs no turn.
    await click(greeting(), 'Yes');
    expect(posted()).toHaveLength(2);
  });
});
