/** A tiny browser-like HTTP client for tests: keeps cookies, sends the CSRF header from the `outrun_csrf` cookie. */
export interface CookieClient {
  cookies: Map<string, string>;
  /** The Set-Cookie lines of the last response. */
  lastSetCookie: string[];
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }>;
}

export function cookieClient(baseUrl: string): CookieClient {
  const cookies = new Map<string, string>();
  const client: CookieClient = {
    cookies,
    lastSetCookie: [],
    async request(method, path, body) {
      const headers: Record<string, string> = {};
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
      const csrf = cookies.get('outrun_csrf');
      if (csrf) headers['x-csrf-token'] = csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      client.lastSetCookie = res.headers.getSetCookie();
      for (const line of client.lastSetCookie) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq);
        const value = decodeURIComponent(pair!.slice(eq + 1));
        if (value === '' || /Max-Age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON (JSON lines export)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  return client;
}
