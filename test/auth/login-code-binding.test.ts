import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { ConversationKey } from '../../src/engine/index.js';
import { Browser } from './browser.js';
import { contextOf as contextOfIn, newKey, startTsidLoginHarness, type LoginHarness } from './login-harness.js';

// The person who signs in is the person in the chat: the browser page shows a one-time code
// and the conversation takes the identity only when that code is typed in it.
// The real guide's tsid.verify step, over HTTP, against the local identity provider.
let h: LoginHarness;

beforeAll(async () => {
  h = await startTsidLoginHarness();
});
afterAll(() => h.close());

const contextOf = (key: ConversationKey) => contextOfIn(h, key);
const say = (key: ConversationKey, text: string) => h.engine.handle({ key, event: { type: 'user.text', text } });
const codeOn = (page: string) => /<strong>(\d{6})<\/strong>/.exec(page)![1];

/** Signs in at `link` as `user` in a browser of their own; returns the page they end on. */
async function signInAs(user: 'alice' | 'bob', link: string): Promise<string> {
  h.idp.signInAs = user;
  try {
    const visit = await new Browser().follow(link);
    expect(visit.response!.status).toBe(200);
    return visit.body!;
  } finally {
    h.idp.signInAs = 'alice';
  }
}

describe('a sign-in binds a conversation only with the code of its browser page', () => {
  it("a forwarded link completed by someone else's account never gives the conversation that account, whatever the customer answers", async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    await signInAs('bob', link); // B opened A's forwarded link: B sees the code, A does not
    expect(h.textsFor(key).at(-1)).toContain('6-digit code');
    expect(h.textsFor(key).join('\n')).not.toContain('bob');

    await say(key, 'sì'); // what a customer answered to "is this your account?" before
    expect((await contextOf(key)).identity).toBeUndefined();
    expect((await h.engine.status(key))?.step).toBe('tsid.verify');
  });

  it("while someone else's sign-in waits for its code, the customer's own sign-in on a new link replaces it and binds", async () => {
    const key = newKey();
    await signInAs('bob', await h.newLoginLink(key));
    await h.engine.handle({ key, event: { type: 'user.text', text: 'nuovo link' } }); // [New link], typed
    const newer = h.delivered.findLast((d) => d.key.user === key.user && d.message.kind === 'prompt')!.message;
    const link = newer.kind === 'prompt' ? newer.links?.at(-1)?.url : undefined;
    const code = codeOn(await signInAs('alice', link!));
    await say(key, code);
    expect((await contextOf(key)).identity).toMatchObject({ subject: 'alice' });
  });

  it('after 5 wrong codes the sign-in is void: even the right code then binds nothing', async () => {
    const key = newKey();
    const code = codeOn(await signInAs('alice', await h.newLoginLink(key)));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      await say(key, wrong);
      expect(h.textsFor(key).at(-1)).toContain(`attempts left: ${5 - attempt}`);
    }
    await say(key, wrong);
    expect(h.textsFor(key).at(-1)).toContain('wrong too many times');
    await say(key, code);
    const context = await contextOf(key);
    expect(context.identity).toBeUndefined();
    expect(context.pendingIdentity).toBeUndefined();
    expect((await h.engine.status(key))?.step).toBe('tsid.verify');
  });

  it('a code typed after its 10 minutes binds nothing: the due reminder voids the sign-in and says so', async () => {
    const key = newKey();
    const code = codeOn(await signInAs('alice', await h.newLoginLink(key)));
    const { pendingReminder } = await contextOf(key);
    expect(pendingReminder).toEqual(expect.stringMatching(/^login-code-/));
    // What the reminder runner sends when it is due (10 minutes after the sign-in).
    await h.engine.handle({ key, event: { type: 'reminder.due', reminderId: pendingReminder as string } });
    expect(h.textsFor(key).at(-1)).toContain('The code has expired');
    await say(key, code);
    expect((await contextOf(key)).identity).toBeUndefined();
  });

  it("phishing: a victim signing in at an attacker's link reads which chat the code is for and not to pass it on; the attacker's chat gets nothing", async () => {
    const attacker = newKey();
    const page = await signInAs('alice', await h.newLoginLink(attacker)); // the victim signs in
    expect(page).toContain("Scrivi questo codice nella chat con l'assistente TS ID su Slack");
    expect(page).toContain('Non dare il codice a nessuno');
    expect(page).not.toMatch(/@|alice/); // no e-mail, nothing of the chat user

    await say(attacker, 'sì');
    await h.engine.handle({ key: attacker, event: { type: 'user.choice', choiceId: 'email-mine' } });
    expect((await contextOf(attacker)).identity).toBeUndefined();
    expect((await contextOf(attacker)).inviteEmail).toBeUndefined();
  });

  it('the right code binds: the full e-mail in the chat, an audit line with a hash of issuer and subject, no e-mail logged', async () => {
    const key = newKey();
    const code = codeOn(await signInAs('alice', await h.newLoginLink(key)));
    await say(key, `${code.slice(0, 3)} ${code.slice(3)}`); // typed as read, with a space
    expect(await contextOf(key)).toMatchObject({
      identity: { issuer: h.idp.issuer, subject: 'alice', email: 'alice@example.test' },
      inviteEmail: 'alice@example.test',
    });
    expect(h.textsFor(key)).toContainEqual(expect.stringContaining('You signed in as alice@example.test'));

    const expected = createHash('sha256')
      .update(`${h.idp.issuer}\nalice`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    const audit = h.logs.map((line) => JSON.parse(line)).findLast((l) => l.message === 'audit: identity bound');
    expect(audit).toMatchObject({ event: 'identity.bound', subject: expected, codeConfirmed: true });
    expect(audit.conversationId).toBe(`slack:${key.tenant}:${key.user}`);
    expect(h.logs.join('\n')).not.toContain('@example.test');
  });
});
