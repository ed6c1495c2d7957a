/**
 * A tiny headless browser for the login tests: fetch with `redirect: 'manual'` and a cookie
 * jar in which the last Set-Cookie for a name and path wins (notes/tech.md §2.2). A cookie
 * goes only to URLs under its Path (RFC 6265 §5.1.4; default: the setting URL's folder), as
 * in a real browser. Like a real browser on loopback, cookies are shared across ports of one host.
 */
export class Browser {
  /** `name path` → the cookie. */
  private readonly jar = new Map<string, { name: string; value: string; path: string }>();

  /** One request; remembers the cookies it sets. The body is left to the caller. */
  async get(url: string): Promise<Response> {
    const { pathname } = new URL(url);
    const cookie = [...this.jar.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      const pathAttribute = attributes.map((a) => a.trim()).find((a) => /^path=/i.test(a));
      const path = pathAttribute ? pathAttribute.slice(5) : pathname.slice(0, pathname.lastIndexOf('/')) || '/';
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(`${name} ${path}`);
      else this.jar.set(`${name} ${path}`, { name, value, path });
    }
    return response;
  }

  /**
   * Follows redirects from `url`. Stops before requesting a URL for which `stopBefore` is
   * true (returns it as `next`), or at the first answer that is not a redirect.
   */
  async follow(url: string, stopBefore: (url: URL) => boolean = () => false): Promise<Visit> {
    const hops: string[] = [];
    let current = new URL(url);
    for (let hop = 0; hop < 20; hop++) {
      if (stopBefore(current)) return { hops, next: current };
      hops.push(current.href);
      const response = await this.get(current.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { hops, response, body: await response.text() };
      }
      await response.arrayBuffer(); // free the socket
      current = new URL(location, current);
    }
    throw new Error(`too many redirects from ${url}`);
  }

  hasCookie(name: string): boolean {
    return [...this.jar.values()].some((c) => c.name === name);
  }
}

export interface Visit {
  /** Every URL requested, in order. */
  hops: string[];
  /** The final answer (when not stopped). */
  response?: Response;
  body?: string;
  /** The URL not requested because `stopBefore` matched. */
  next?: URL;
}
