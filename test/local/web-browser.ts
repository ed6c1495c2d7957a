/** A tiny browser for the web chat tests: keeps its own session cookie, speaks the page's JSON. */
export interface ChatEntryJson {
  seq: number;
  from: string;
  text: string;
  agentName?: string;
  step?: string;
  choices?: { id: string; label: string; style?: string; confirm?: { text: string } }[];
  links?: { label: string; url: string }[];
}

export class WebBrowser {
  private cookie = '';
  private last = 0;
  private counter = 0;

  constructor(
    private readonly base: string,
    private readonly name = 'browser',
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await fetch(`${this.base}${path}`, { ...init, headers });
    const set = response.headers.getSetCookie().find((line) => line.startsWith('tsid_web_chat='));
    if (set) this.cookie = set.split(';')[0];
    return response;
  }

  get sessionCookie(): string {
    return this.cookie;
  }

  /** Posts one message (with a fresh client message id unless `id` is given); answers status + JSON. */
  async post(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await this.fetch('/local/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `${this.name}-${++this.counter}-msg`, ...body }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  say(text: string) {
    return this.post({ text });
  }

  /** Clicks the newest offered choice with this label. */
  async click(label: string, seen: ChatEntryJson[]) {
    const choice = seen
      .flatMap((entry) => entry.choices ?? [])
      .reverse()
      .find((c) => c.label === label);
    if (!choice) throw new Error(`no choice "${label}" in ${JSON.stringify(seen.map((e) => e.text))}`);
    return this.post({ choiceId: choice.id });
  }

  /** The entries since the last poll, as the page's poll gets them. */
  async poll(): Promise<ChatEntryJson[]> {
    const response = await this.fetch(`/local/chat/messages?after=${this.last}`);
    if (response.status !== 200) throw new Error(`poll answered ${response.status}`);
    const body = (await response.json()) as { messages: ChatEntryJson[]; last: number };
    this.last = body.last;
    return body.messages;
  }
}
