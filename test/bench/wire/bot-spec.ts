/** What the benchmark tells a bot process to be (passed as JSON in argv). */
export interface BotSpec {
  kind: 'ours' | 'bolt-echo' | 'teams-echo';
  redisUrl: string;
  /** The fake Slack Web API base URL. */
  slackApiUrl: string;
  /** The fake connector's OpenID metadata (its JWKS signs the benchmark's channel tokens). */
  openIdMetadataUrl: string;
}

export const BENCH_APP_ID = '00000000-0000-4000-8000-0000000be4c0';
export const BENCH_SLACK_TOKEN = 'xoxb-bench';
