/** A signed-in API client, as the web UI is: the session cookie plus the CSRF header. */
export class ConsoleClient {
  private constructor(
    private readonly base: string,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}

  static async signIn(base: string, username: string, password: string): Promise<ConsoleClient> {
    const response = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.status !== 200)
      throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = (await response.json()) as { csrfToken: string };
    return new ConsoleClient(base, cookie, me.csrfToken);
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
  }

  /** `csrf` null sends no CSRF header at all. */
  post(path: string, body: unknown, csrf: string | null = this.csrfToken): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        cookie: this.cookie,
        'content-type': 'application/json',
        ...(csrf !== null && { 'x-csrf-token': csrf }),
      },
      body: JSON.stringify(body),
    });
  }
}
