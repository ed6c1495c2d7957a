import { describe, expect, it } from '@jest/globals';
import { webcrypto } from 'node:crypto';
import { Script, createContext } from 'node:vm';
import { WEB_CHAT_PAGE } from '../../adapters/local/web-chat-page.js';

/** Just enough of a DOM element to watch what the page's script builds. */
class FakeElement {
  className = '';
  textContent = '';
  href = '';
  target = '';
  rel = '';
  type = '';
  placeholder = '';
  scrollTop = 0;
  scrollHeight = 0;
  value = '';
  readonly children: FakeElement[] = [];
  readonly listeners: Record<string, (event: unknown) => void> = {};
  constructor(readonly tag: string) {}
  appendChild(child: FakeElement) {
    this.children.push(child);
    return child;
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners[type] = listener;
  }
  focus() {}
  scrollIntoView() {}
  setAttribute() {}
  getAttribute() {
    return null;
  }
  querySelector(): FakeElement | null {
    return null;
  }
  querySelectorAll(): FakeElement[] {
    return [];
  }
  all(): FakeElement[] {
    return this.children.flatMap((child) => [child, ...child.all()]);
  }
}

const HOSTILE = '<img src=x onerror=alert(1)>';

// Kept beside the browser tests (web-chat-browser.test.ts): it feeds the script what the real
// server never sends (a javascript: link, an agent's line without the server's checks).
describe('the page script (run against a fake DOM)', () => {
  it('renders text with textContent, only http(s) links, and asks confirm() before a danger click', async () => {
    const script = /<script>([\s\S]*)<\/script>/.exec(WEB_CHAT_PAGE)![1];
    const elements: Record<string, FakeElement> = {};
    const posted: unknown[] = [];
    const confirms: string[] = [];
    const messages = [
      {
        seq: 1,
        from: 'bot',
        text: HOSTILE,
        links: [
          { label: 'ok', url: 'https://example.test/' },
          { label: 'evil', url: 'javascript:alert(1)' },
        ],
        choices: [
          {
            id: 'unlink',
            label: 'Scollega',
            style: 'danger',
            confirm: { title: 'Sicuro?', text: 'Non si torna indietro', yes: 'Sì', no: 'No' },
          },
        ],
      },
      { seq: 2, from: 'agent', agentName: 'Giulia', text: 'ciao' },
      { seq: 3, from: 'helpdesk', text: 'Hand-off requested' },
    ];
    const respond = (body: unknown) => Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(body) });
    const context = createContext({
      navigator: { language: 'it-IT' },
      crypto: webcrypto,
      URL,
      String,
      Array,
      Uint8Array,
      document: {
        documentElement: {},
        getElementById: (id: string) => (elements[id] ??= new FakeElement(id)),
        createElement: (tag: string) => new FakeElement(tag),
      },
      window: { confirm: (text: string) => (confirms.push(text), false) },
      setTimeout: () => 0,
      fetch: (url: string, init?: { body?: string }) => {
        if (init?.body) posted.push(JSON.parse(init.body));
        return respond(
          url.includes('messages') && posted.length === 0 ? { messages, last: 3 } : { messages: [], last: 3 },
        );
      },
    });
    new Script(script).runInContext(context);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const chat = elements.log.all();
    expect(chat.find((node) => node.className === 'text')?.textContent).toBe(HOSTILE);
    const links = chat.filter((node) => node.tag === 'a');
    expect(links.map((a) => [a.href, a.rel, a.target])).toEqual([
      ['https://example.test/', 'noopener noreferrer', '_blank'],
    ]);
    expect(chat.find((node) => node.className === 'who' && node.textContent === 'Giulia (assistenza)')).toBeDefined();
    expect(elements.desk.all().map((node) => node.textContent)).toContain('Hand-off requested');

    const danger = chat.find((node) => node.tag === 'button')!;
    expect(danger.className).toBe('choice danger');
    danger.listeners.click({});
    expect(confirms).toEqual(['Sicuro?\n\nNon si torna indietro']);
    expect(posted).toEqual([]); // the confirm was declined: nothing sent

    elements.text.value = 'ciao';
    elements.form.listeners.submit({ preventDefault: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posted).toEqual([{ text: 'ciao', id: expect.stringMatching(/^[0-9a-f]{24}$/), locale: 'it' }]);
  });
});
