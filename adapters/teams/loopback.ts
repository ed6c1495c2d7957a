/**
 * Whether a URL points at this machine by a loopback address (127.0.0.0/8, ::1) or
 * `localhost`. In Emulator mode nothing is authenticated, so the bot answers only such a
 * `serviceUrl`: otherwise anyone who reaches the port could make it send requests anywhere.
 */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host); // URL has already normalised the address
}
