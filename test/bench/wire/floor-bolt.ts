import { App, ExpressReceiver } from '@slack/bolt';
import type { Server } from 'node:http';
import { SIGNING_SECRET } from '../../adapters/slack/signed-request.js';
import { BENCH_SLACK_TOKEN, type BotSpec } from './bot-spec.js';
import { FloorSnapshots } from './floor-snapshot.js';

/** The Slack floor: Bolt over signed HTTP, a Redis snapshot per turn, one echo posted. */
export async function startBoltEcho(spec: BotSpec): Promise<Server> {
  const snapshots = new FloorSnapshots(spec.redisUrl);
  const receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events' });
  const app = new App({
    token: BENCH_SLACK_TOKEN,
    receiver,
    convoStore: false,
    deferInitialization: true,
    clientOptions: { slackApiUrl: spec.slackApiUrl },
  });
  app.message(async ({ message, client }) => {
    const { channel, user, text } = message as { channel: string; user: string; text?: string };
    const turns = await snapshots.turn(`slack:${user}`, text ?? '');
    await client.chat.postMessage({ channel, text: `echo ${turns}: ${text ?? ''}` });
  });
  app.error(async (error) => console.error(`bolt echo: ${error.code ?? error.name}`));
  await app.init();
  return new Promise((resolve) => {
    const server = receiver.app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
