import type { HelpdeskActor } from './helpdesk-port.js';

/**
 * Who may act as an agent: the users listed in HELPDESK_AGENTS when it is set, else the
 * members of the helpdesk channel (asked of the adapter). Always the user of the signed
 * request, never anything a button carries.
 */
export class AgentGate {
  private readonly listed: ReadonlySet<string>;

  constructor(
    agents: readonly string[],
    private readonly isMember: (actor: HelpdeskActor) => Promise<boolean>,
  ) {
    this.listed = new Set(agents.map((agent) => agent.trim()).filter(Boolean));
  }

  async allows(actor: HelpdeskActor): Promise<boolean> {
    if (!actor.id) return false;
    if (this.listed.size > 0) return this.listed.has(actor.id) || this.listed.has(`${actor.platform}:${actor.id}`);
    return this.isMember(actor).catch(() => false);
  }
}
