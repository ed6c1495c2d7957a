/** Rules between variables, checked on the raw values so they are listed with the others. */
import type { EnvName } from './env-schema.js';

type Raw = (name: EnvName) => string | undefined;

export function crossProblems(raw: Raw): string[] {
  const problems: string[] = [];
  const appId = raw('MicrosoftAppId');
  const appType = raw('MicrosoftAppType') ?? 'MultiTenant';
  if (appId && appType !== 'UserAssignedMSI' && !raw('MicrosoftAppPassword')) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  if (appId && appType === 'SingleTenant' && !raw('MicrosoftAppTenantId')) {
    problems.push('MicrosoftAppTenantId is required for a SingleTenant app');
  }
  if (appId && raw('TEAMS_EMULATOR') === 'on') {
    problems.push('TEAMS_EMULATOR=on turns authentication off: unset it, or unset MicrosoftAppId');
  }
  if (raw('SLACK_BOT_TOKEN') && !raw('SLACK_SIGNING_SECRET') && !raw('SLACK_APP_TOKEN')) {
    problems.push('SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) is required with SLACK_BOT_TOKEN');
  }
  if (raw('OIDC_ISSUER') && !raw('OIDC_CLIENT_ID')) problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
  if ([raw('REDIS_URL'), raw('REDIS_CLUSTER_NODES'), raw('REDIS_SENTINELS')].filter(Boolean).length > 1) {
    problems.push('set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS');
  }
  if (raw('REDIS_SENTINELS') && !raw('REDIS_SENTINEL_NAME'))
    problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
  if (raw('REDIS_SENTINEL_NAME') && !raw('REDIS_SENTINELS'))
    problems.push('REDIS_SENTINELS is required with REDIS_SENTINEL_NAME');
  return problems;
}
