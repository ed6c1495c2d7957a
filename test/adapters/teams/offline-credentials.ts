import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { ServiceClientCredentials } from 'botframework-connector';

/**
 * The real credentials factory (so `isValidAppId`, which checks the token's audience, is
 * botbuilder's own), except that outbound calls get a fixed token instead of one fetched
 * from Entra ID, which this machine cannot reach.
 */
export class OfflineCredentials extends ConfigurationServiceClientCredentialFactory {
  constructor(appId: string) {
    super({ MicrosoftAppId: appId, MicrosoftAppPassword: 'not-used', MicrosoftAppType: 'MultiTenant' });
  }
  override async createCredentials(): Promise<ServiceClientCredentials> {
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', 'Bearer outbound-test');
        return request;
      },
    };
  }
}
