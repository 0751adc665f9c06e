/** The cookies a browser would keep for one site, for tests that talk to better-auth without one. */
export type CookieJar = {
  readonly cookies: Map<string, string>;
  /** The Cookie header to send. */
  header(): string;
  /** Keeps what a response sets. */
  absorb(response: Response): void;
};

export function cookieJar(): CookieJar {
  const cookies = new Map<string, string>();
  return {
    cookies,
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    absorb(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        if (name !== undefined) cookies.set(name.trim(), value.join('='));
      }
    },
  };
}
