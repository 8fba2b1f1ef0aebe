import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, ApiError, query } from '../wwwroot/assets/js/api.js';

/** A stand-in for Session: a token, a refresh that hands out a new one, and end(). */
function fakeSession({ refreshes = true } = {}) {
  return {
    signedIn: true,
    accessToken: 'old-token',
    refreshCalls: 0,
    ended: null,
    async refresh() { this.refreshCalls++; if (refreshes) this.accessToken = 'new-token'; return refreshes; },
    end(reason) { this.ended = reason; this.signedIn = false; },
  };
}

const json = (status, body, headers = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });

test('a 401 refreshes the token once and retries the request with the new one', async (t) => {
  const seen = [];
  t.mock.method(globalThis, 'fetch', async (url, init) => {
    seen.push(init.headers.Authorization);
    return init.headers.Authorization === 'Bearer new-token' ? json(200, { items: [] }, { ETag: '"v1"' }) : json(401, { status: 401, title: 'Unauthorized' });
  });
  const session = fakeSession();
  const result = await new Api(session).get('/tasks');
  assert.deepEqual(seen, ['Bearer old-token', 'Bearer new-token']);
  assert.equal(session.refreshCalls, 1);
  assert.deepEqual(result.data, { items: [] });
  assert.equal(result.etag, '"v1"');
});

test('a 401 that a refresh cannot cure ends the session and throws', async (t) => {
  t.mock.method(globalThis, 'fetch', async () => json(401, { status: 401, title: 'Unauthorized' }));
  const session = fakeSession({ refreshes: false });
  await assert.rejects(new Api(session).get('/tasks'), (e) => e instanceof ApiError && e.status === 401);
  assert.match(session.ended, /sign in again/);
});

test('a 412 becomes an ApiError carrying the problem; the If-Match header and JSON body are sent', async (t) => {
  let sent;
  t.mock.method(globalThis, 'fetch', async (url, init) => { sent = init; return json(412, { status: 412, title: 'Precondition failed', detail: 'The task changed.' }); });
  const error = await new Api(fakeSession()).put('/tasks/1', { title: 'x' }, { headers: { 'If-Match': '"v3"' } }).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 412);
  assert.equal(error.problem.detail, 'The task changed.');
  assert.equal(sent.headers['If-Match'], '"v3"');
  assert.equal(sent.headers['Content-Type'], 'application/json');
  assert.equal(sent.body, '{"title":"x"}');
});

test('anonymous requests carry no token, and a network failure is an ApiError with status 0', async (t) => {
  let sent;
  t.mock.method(globalThis, 'fetch', async (url, init) => { sent = init; throw new TypeError('Failed to fetch'); });
  const error = await new Api(fakeSession()).post('/users/register', {}, { anonymous: true }).catch((e) => e);
  assert.equal(sent.headers.Authorization, undefined);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 0);
});

test('a 204 answers no data', async (t) => {
  t.mock.method(globalThis, 'fetch', async () => new Response(null, { status: 204 }));
  const result = await new Api(fakeSession()).delete('/tasks/1');
  assert.equal(result.status, 204);
  assert.equal(result.data, null);
});

test('query keeps only non-empty values and encodes them', () => {
  assert.equal(query({ q: 'a b&c', status: '', tag: null, limit: 20, cursor: undefined }), '?q=a+b%26c&limit=20');
  assert.equal(query({}), '');
});
