// The gateway's public REST API, same origin. Adds the bearer token, refreshes once on a 401 and retries, and turns
// every failure into an ApiError carrying the problem+json body.

export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.headers = headers;
  }
}

export class Api {
  #session;

  constructor(session) {
    this.#session = session;
  }

  get(path, options = {}) { return this.request('GET', path, options); }
  post(path, body, options = {}) { return this.request('POST', path, { ...options, body }); }
  put(path, body, options = {}) { return this.request('PUT', path, { ...options, body }); }
  delete(path, options = {}) { return this.request('DELETE', path, options); }

  /**
   * @returns {Promise<{status: number, data: any, etag: string|null, headers: Headers}>}
   * @throws {ApiError} for any status >= 400 (and for a network failure, status 0)
   */
  async request(method, path, { body, headers = {}, anonymous = false, signal } = {}) {
    let response = await this.#send(method, path, body, headers, anonymous, signal);
    if (response.status === 401 && !anonymous && this.#session.signedIn && await this.#session.refresh()) {
      response = await this.#send(method, path, body, headers, anonymous, signal);
    }
    if (response.status === 401 && !anonymous) {
      this.#session.end('Your session has ended. Please sign in again.');
    }
    if (response.status >= 400) {
      throw new ApiError(response.status, await readProblem(response), response.headers);
    }
    const type = response.headers.get('Content-Type') ?? '';
    const data = response.status !== 204 && type.includes('json') ? await response.json() : null;
    return { status: response.status, data, etag: response.headers.get('ETag'), headers: response.headers };
  }

  async #send(method, path, body, headers, anonymous, signal) {
    const all = { Accept: 'application/json', ...headers };
    if (body !== undefined) all['Content-Type'] = 'application/json';
    if (!anonymous && this.#session.accessToken) all.Authorization = `Bearer ${this.#session.accessToken}`;
    try {
      return await fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (e) {
      if (e?.name === 'AbortError') throw e;
      throw new ApiError(0, { title: 'Network error', detail: 'TaskFlow could not be reached. Check your connection and try again.' }, new Headers());
    }
  }
}

async function readProblem(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** A query string from the non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
