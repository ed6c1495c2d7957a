import { CloudAdapter } from 'botbuilder';
import express from 'express';
import type { Server } from 'node:http';
import { createTeamsAuthentication } from '../../../adapters/teams/teams-auth.js';
import { OfflineCredentials } from '../../adapters/teams/offline-credentials.js';
import { BENCH_APP_ID, type BotSpec } from './bot-spec.js';
import { FloorSnapshots } from './floor-snapshot.js';

/** The Teams floor: CloudAdapter with the same token checks, a Redis snapshot per turn, one echo in the turn. */
export async function startTeamsEcho(spec: BotSpec): Promise<Server> {
  const snapshots = new FloorSnapshots(spec.redisUrl);
  const auth = createTeamsAuthentication(
    { appId: BENCH_APP_ID, appPassword: 'not-used', appType: 'MultiTenant' },
    { openIdMetadataUrl: spec.openIdMetadataUrl, credentialsFactory: new OfflineCredentials(BENCH_APP_ID) },
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_context, error) =>
    console.error(`teams echo: ${error instanceof Error ? error.name : 'error'}`);
  const app = express();
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type !== 'message') return;
      const text = context.activity.text ?? '';
      const turns = await snapshots.turn(`teams:${context.activity.conversation.id}`, text);
      await context.sendActivity(`echo ${turns}: ${text}`);
    });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
