/** The tenant of every Emulator message below. */
export const EMULATOR_TENANT = 'tenant-1';

/** An unsigned message activity from a Teams user's personal chat, as the Bot Framework Emulator sends it. */
export function emulatorMessage(serviceUrl: string, user = 'aad-user-1', text = 'ciao') {
  return {
    type: 'message',
    id: `in-${user}`,
    channelId: 'emulator',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${user}`, aadObjectId: user, name: 'Anna' },
    recipient: { id: '28:bot', name: 'TSID Assistant' },
    conversation: { id: `a:personal-${user}`, conversationType: 'personal', tenantId: EMULATOR_TENANT },
    channelData: { tenant: { id: EMULATOR_TENANT } },
    text,
  };
}
