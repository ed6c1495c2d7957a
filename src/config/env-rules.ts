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
  return problems;
}
