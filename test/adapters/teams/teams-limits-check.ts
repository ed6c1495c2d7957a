/**
 * What the Bot Connector refuses for size, as the fake answers it: an activity over about
 * 28 KB gets 413 `MessageSizeTooBig` (see adapters/teams/card-limits.ts).
 */
export const CONNECTOR_MAX_BYTES = 28 * 1024;

/** The 413 body for an activity past the limit; undefined when it fits. */
export function connectorLimitError(rawBytes: number): object | undefined {
  return rawBytes > CONNECTOR_MAX_BYTES
    ? { error: { code: 'MessageSizeTooBig', message: `activity of ${rawBytes} bytes exceeds ${CONNECTOR_MAX_BYTES}` } }
    : undefined;
}
