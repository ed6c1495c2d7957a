import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { campaignStages, type CampaignService } from '../campaign/index.js';
import type { ConversationKey, Inbound, TurnHandler, TurnResult } from '../engine/index.js';
import { asAppError } from '../errors.js';

/** The bot's Prometheus metrics: turns by channel, outcome and step, errors by code, delivery time. */
export class Metrics {
  readonly registry = new Registry();
  private readonly turns = new Counter({
    name: 'tsid_turns_total',
    help: 'Turns by channel, outcome and the step the conversation reached',
    labelNames: ['channel', 'status', 'step'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'tsid_errors_total',
    help: 'Failed turns and deliveries by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'tsid_dead_letters_total',
    help: 'Messages a platform refused for good, moved to the dead-letter list, by channel and reason',
    labelNames: ['channel', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly conflicts = new Counter({
    name: 'tsid_store_conflicts_total',
    help: 'Turns re-run because another turn of the same conversation saved first (compare-and-set lost)',
    registers: [this.registry],
  });
  private readonly slackRefused = new Counter({
    name: 'tsid_slack_refused_total',
    help: 'Slack requests refused with nothing done: another workspace or org (team, enterprise, user-team), a click outside its place (not-own-dm, not-helpdesk-channel)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly turnsRefused = new Counter({
    name: 'tsid_turns_refused_total',
    help: 'Requests refused before acknowledgement because the process held its turn budget (budget) or was behind (age), and, with Redis, the overflow inbox could not take them (inbox-full, inbox-failed, not-queueable: a click); the platform retries them',
    labelNames: ['channel', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly turnsQueued = new Counter({
    name: 'tsid_turns_queued_total',
    help: 'Requests past the turn budget written to the overflow inbox and acknowledged; any process runs them later',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly inboxEntries = new Gauge({
    name: 'tsid_overflow_inbox_entries',
    help: 'Turns waiting in the overflow inbox (or being run from it), as this process last saw',
    registers: [this.registry],
  });
  private readonly inboxOldest = new Gauge({
    name: 'tsid_overflow_inbox_oldest_seconds',
    help: 'Age of the oldest conversation waiting in the overflow inbox to be taken (0: none waits)',
    registers: [this.registry],
  });
  private readonly redisSeconds = new Histogram({
    name: 'tsid_redis_operation_seconds',
    help: 'Time of one store operation on Redis (a command or a script, or a few pipelined), failed ones too',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  private readonly redisInFlightMax = new Gauge({
    name: 'tsid_redis_operations_in_flight_max',
    help: 'Most store operations under way on the Redis connection at once since the process started',
    registers: [this.registry],
  });
  private redisPeak = 0;
  /** For the Redis connection (storage.ts). */
  readonly redisObserver = {
    operation: (ms: number, failed: boolean) =>
      this.redisSeconds.observe({ outcome: failed ? 'failed' : 'ok' }, ms / 1000),
    inFlight: (count: number) => {
      if (count <= this.redisPeak) return;
      this.redisPeak = count;
      this.redisInFlightMax.set(count);
    },
  };
  private readonly turnSeconds = new Histogram({
    name: 'tsid_turn_seconds',
    help: 'Time of one turn, delivery included',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  countError(code: string): void {
    this.errors.inc({ code });
  }

  countDeadLetter(channel: string, reason: string): void {
    this.deadLetters.inc({ channel, reason });
  }

  countConflict(): void {
    this.conflicts.inc();
  }

  countTurnRefusal(channel: string, reason: string): void {
    this.turnsRefused.inc({ channel, reason });
  }

  countTurnQueued(channel: string): void {
    this.turnsQueued.inc({ channel });
  }

  /** The overflow inbox's size and the age of its oldest waiting conversation (undefined: none). */
  noteInbox(entries: number, oldestAgeMs: number | undefined): void {
    this.inboxEntries.set(entries);
    this.inboxOldest.set((oldestAgeMs ?? 0) / 1000);
  }

  countSlackRefusal(reason: string): void {
    this.slackRefused.inc({ reason });
  }

  /** Wraps the engine so every turn, from any channel, is counted once. */
  instrument(turns: TurnHandler): TurnHandler {
    return {
      handle: async (inbound: Inbound): Promise<TurnResult> => {
        const stop = this.turnSeconds.startTimer();
        try {
          const result = await turns.handle(inbound);
          this.turns.inc({ channel: inbound.key.channel, status: result.status, step: result.step ?? 'none' });
          return result;
        } catch (error) {
          this.countError(asAppError(error).code);
          throw error;
        } finally {
          stop();
        }
      },
      status: (key: ConversationKey) => turns.status(key),
    };
  }

  /** Per-campaign gauges (`tsid_campaign_customers{campaign,stage}`), read from the store at each scrape. */
  watchCampaigns(campaigns: CampaignService, newest = 10): void {
    new Gauge({
      name: 'tsid_campaign_customers',
      help: 'Customers of each recent campaign by stage: waiting, started, already, unreachable, failed, done, stuck, handed_off, opted_out',
      labelNames: ['campaign', 'stage'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { campaign, stage, customers } of await campaignStages(campaigns, newest).catch(() => []))
          this.set({ campaign, stage }, customers);
      },
    });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
