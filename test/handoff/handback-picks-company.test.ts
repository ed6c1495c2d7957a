import { describe, expect, it } from '@jest/globals';
import { renderHandoffCard as slackCard } from '../../adapters/slack/helpdesk-render.js';
import { renderHandoffCard as teamsCard } from '../../adapters/teams/helpdesk-card.js';
import { agent, handoffFixture } from './handoff-fixture.js';

const giulia = agent('Giulia');

/** Two companies, both skipped, the summary shown, then "operatore": a hand-off with two companies to pick from. */
async function skippedBothThenAskForAPerson(f: ReturnType<typeof handoffFixture>): Promise<string> {
  await f.send({ type: 'session.start', step: 'invoice.companies' });
  await f.say('Bar Sport 01234560785, Pizzeria Da Mario');
  for (const choiceId of ['list-ok', 'understood', 'done', 'skip', 'done', 'skip'])
    await f.send({ type: 'user.choice', choiceId });
  expect(await f.engine.status(f.key)).toMatchObject({ step: 'invoice.done' });
  await f.say('operatore');
  f.texts();
  return `thread-${f.helpdesk.posts().length}`;
}

describe('hand-back to a company the agent picks', () => {
  it('offers one "invoice.review-data · <company>" per company not active, in Slack and Teams, and resumes the one picked', async () => {
    const f = handoffFixture();
    const thread = await skippedBothThenAskForAPerson(f);
    const card = f.helpdesk.posts().at(-1)!.card;
    expect(card.steps).toEqual(expect.arrayContaining(['invoice.review-data#0', 'invoice.review-data#1']));
    expect(card.stepLabels).toEqual({
      'invoice.review-data#0': 'invoice.review-data · Bar Sport',
      'invoice.review-data#1': 'invoice.review-data · Pizzeria Da Mario',
    });
    expect(JSON.stringify(slackCard(card))).toContain('"text":"invoice.review-data · Pizzeria Da Mario"');
    expect(JSON.stringify(teamsCard(card))).toContain('"title":"invoice.review-data · Pizzeria Da Mario"');

    await f.service.take(thread, giulia);
    f.texts();
    // The guide was last at Pizzeria Da Mario; the agent picks Bar Sport.
    expect((await f.service.handBack(thread, giulia, 'invoice.review-data#0')).status).toBe('done');
    const resumed = f.texts().join('\n');
    expect(resumed).toContain('Bar Sport');
    expect(resumed).not.toContain('Pizzeria Da Mario');
    expect(await f.engine.status(f.key)).toMatchObject({ step: 'invoice.review-data' });
  });

  it('a picked company the customer made active is never resumed: the hand-back takes the skipped one', async () => {
    const f = handoffFixture();
    await f.send({ type: 'session.start', step: 'invoice.companies' });
    await f.say('Bar Sport 01234560785, Pizzeria Da Mario');
    const walk = ['list-ok', 'understood', 'done', 'skip', 'done', 'unlink', 'done', 'done', 'done', 'done'];
    for (const choiceId of [...walk, 'accepted', 'green']) await f.send({ type: 'user.choice', choiceId });
    expect(await f.engine.status(f.key)).toMatchObject({ step: 'invoice.done' });
    await f.say('operatore');
    const thread = `thread-${f.helpdesk.posts().length}`;
    // One company left to pick: no per-company choices, the step alone.
    expect(f.helpdesk.posts().at(-1)!.card.steps).not.toContain('invoice.review-data#1');
    await f.service.take(thread, giulia);
    f.texts();
    expect((await f.service.handBack(thread, giulia, 'invoice.review-data#1')).status).toBe('done');
    const resumed = f.texts().join('\n');
    expect(resumed).toContain('Bar Sport');
    expect(resumed).not.toContain('Pizzeria Da Mario');
  });
});
