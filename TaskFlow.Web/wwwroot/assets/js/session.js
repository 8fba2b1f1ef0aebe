// The signed-in session: the user's own tokens, kept in memory and in sessionStorage (this tab only, gone when it
// closes), refreshed before the access token expires, and ended with POST /users/logout.

const STORAGE_KEY = 'taskflow.session';

/** Tokens from a login or refresh answer, with the absolute expiry of the access token. */
export function tokensFrom(body, now) {
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    expiresAt: now + Number(body.expiresIn) * 1000,
  };
}

/** Milliseconds until a refresh is due: a fifth of the remaining lifetime early, at most one minute early. */
export function refreshDelay(expiresAt, now) {
  const remaining = expiresAt - now;
  return Math.max(0, remaining - Math.min(60000, remaining / 5));
}

/** The claims of a JWT (not verified: the client only reads its own identity; every service verifies). */
export function claimsOf(jwt) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

export class Session extends EventTarget {
  #tokens = null;
  #timer = 0;
  #refreshing = null;
  #storage;

  constructor(storage = globalThis.sessionStorage) {
    super();
    this.#storage = storage;
  }

  get signedIn() { return this.#tokens !== null; }
  get accessToken() { return this.#tokens?.accessToken ?? null; }

  /** {id, email, name} of the signed-in user, from the access token. */
  get user() {
    if (!this.#tokens) return null;
    const claims = claimsOf(this.#tokens.accessToken);
    return { id: claims.sub, email: claims.email, name: claims.name ?? claims.email };
  }

  /** Restores a session this tab had; refreshes at once when its access token is (nearly) expired. */
  async restore() {
    let saved = null;
    try {
      saved = JSON.parse(this.#storage.getItem(STORAGE_KEY) ?? 'null');
    } catch {
      saved = null;
    }
    if (!saved?.accessToken || !saved?.refreshToken) return false;
    this.#tokens = saved;
    if (refreshDelay(saved.expiresAt, Date.now()) <= 0) {
      // A rejected refresh token ends the session; a network failure keeps it and retries.
      await this.refresh();
      return this.signedIn;
    }
    this.#schedule();
    return true;
  }

  /** POST /users/login; returns null on success, else the failed Response. */
  async signIn(email, password) {
    const response = await fetch('/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) return response;
    this.#set(tokensFrom(await response.json(), Date.now()));
    this.dispatchEvent(new Event('change'));
    return null;
  }

  /**
   * POST /users/refresh with the current refresh token (rotation: the answer carries a new one). One refresh at a
   * time: concurrent callers share it. A rejected refresh token ends the session; a network failure does not.
   */
  refresh() {
    if (!this.#tokens) return Promise.resolve(false);
    this.#refreshing ??= (async () => {
      const refreshToken = this.#tokens.refreshToken;
      try {
        const response = await fetch('/users/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
        if (response.ok) {
          this.#set(tokensFrom(await response.json(), Date.now()));
          this.dispatchEvent(new Event('refresh'));
          return true;
        }
        if (response.status === 400 || response.status === 401) {
          this.end('Your session has ended. Please sign in again.');
        } else {
          this.#retryLater();
        }
        return false;
      } catch {
        this.#retryLater();
        return false;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  /**
   * Forget the tokens, then POST /users/logout (this session's refresh token stops working at once). The view stops
   * its notification stream on the change event first: the gateway ends a revoked session's streams, and a stream
   * cut under a reader is an error in the browser.
   */
  async signOut() {
    const tokens = this.#tokens;
    this.end(null);
    if (tokens) {
      try {
        await fetch('/users/logout', {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.accessToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: tokens.refreshToken }),
        });
      } catch {
        // Offline: the tokens are already forgotten here; the refresh token expires on its own.
      }
    }
  }

  /** Forgets the tokens; reason (if any) is shown on the sign-in page. */
  end(reason) {
    clearTimeout(this.#timer);
    const wasSignedIn = this.#tokens !== null;
    this.#tokens = null;
    this.#storage.removeItem(STORAGE_KEY);
    if (wasSignedIn) this.dispatchEvent(new CustomEvent('change', { detail: { reason } }));
  }

  #set(tokens) {
    this.#tokens = tokens;
    this.#storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.#schedule();
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.refresh(), refreshDelay(this.#tokens.expiresAt, Date.now()));
  }

  #retryLater() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.refresh(), 5000);
  }
}
