import type { ChatEntry, ChatLine } from './web-chat-view.js';

export interface WebChatLimits {
  /** Sessions kept; the least recently used is forgotten first (default 1,000). */
  sessions: number;
  /** Lines kept per session; older ones are dropped (default 200). */
  linesPerSession: number;
}

interface Session {
  entries: ChatEntry[];
  lastSeq: number;
  /** The agent this browser plays with `/agent …` (remembered like the terminal does). */
  agent: { name: string };
}

/**
 * The web chat's lines per browser session, in memory and bounded: local use only, lost on
 * restart (the conversation itself lives in the store and goes on).
 */
export class WebChatSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: WebChatLimits;

  constructor(limits: Partial<WebChatLimits> = {}) {
    this.limits = { sessions: limits.sessions ?? 1000, linesPerSession: limits.linesPerSession ?? 200 };
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session (created if new), marked as the most recently used. */
  session(id: string): Session {
    const session = this.sessions.get(id) ?? { entries: [], lastSeq: 0, agent: { name: 'Agent' } };
    this.sessions.delete(id);
    this.sessions.set(id, session);
    while (this.sessions.size > this.limits.sessions) this.sessions.delete(this.sessions.keys().next().value!);
    return session;
  }

  append(id: string, line: ChatLine): ChatEntry {
    const session = this.session(id);
    const entry = { seq: ++session.lastSeq, ...line };
    session.entries.push(entry);
    if (session.entries.length > this.limits.linesPerSession)
      session.entries.splice(0, session.entries.length - this.limits.linesPerSession);
    return entry;
  }

  /** True when this page message id was already shown (a retried post). */
  hasClientId(id: string, clientId: string): boolean {
    return this.sessions.get(id)?.entries.some((entry) => entry.clientId === clientId) ?? false;
  }

  /**
   * The entries after `after`, and the newest seq. A page ahead of the server (it restarted,
   * or forgot this session) gets everything there is, so it catches up instead of waiting.
   */
  after(id: string, after: number): { messages: ChatEntry[]; last: number } {
    const session = this.sessions.get(id);
    if (!session) return { messages: [], last: 0 };
    this.session(id);
    const from = after > session.lastSeq ? 0 : after;
    return { messages: session.entries.filter((entry) => entry.seq > from), last: session.lastSeq };
  }
}
