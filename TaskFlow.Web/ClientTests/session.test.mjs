import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session, tokensFrom, refreshDelay, claimsOf } from '../wwwroot/assets/js/session.js';

function memoryStorage() {
  const data = new Map();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k), data };
}

function jwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`;
}

test('a 15-minute token is refreshed one minute before it expires; a short one a fifth early', () => {
  const now = 1_000_000;
  assert.equal(refreshDelay(now + 15 * 60_000, now), 14 * 60_000);
  assert.equal(refreshDelay(now + 100_000, now), 80_000);
  assert.equal(refreshDelay(now - 5, now), 0);
});

test('tokensFrom turns expiresIn into an absolute expiry', () => {
  assert.deepEqual(tokensFrom({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 }, 10), { accessToken: 'a', refreshToken: 'r', expiresAt: 900_010 });
});

test('claimsOf reads the identity from a JWT and survives garbage', () => {
  assert.deepEqual(claimsOf(jwt({ sub: 'u1', email: 'ada@example.com', name: 'Ada Lovelace ✓' })), { sub: 'u1', email: 'ada@example.com', name: 'Ada Lovelace ✓' });
  assert.deepEqual(claimsOf('not a token'), {});
});

test('refresh rotates the stored tokens; concurrent callers share one request', async (t) => {
  const storage = memoryStorage();
  storage.setItem('taskflow.session', JSON.stringify({ accessToken: jwt({ sub: 'u1' }), refreshToken: 'r1', expiresAt: Date.now() + 600_000 }));
  const calls = [];
  t.mock.method(globalThis, 'fetch', async (url, init) => {
    calls.push([url, JSON.parse(init.body)]);
    return new Response(JSON.stringify({ accessToken: jwt({ sub: 'u1', name: 'Ada' }), refreshToken: 'r2', expiresIn: 900 }), { status: 200 });
  });
  const session = new Session(storage);
  assert.equal(await session.restore(), true);
  const [a, b] = await Promise.all([session.refresh(), session.refresh()]);
  assert.equal(a && b, true);
  assert.deepEqual(calls, [['/users/refresh', { refreshToken: 'r1' }]]);
  assert.equal(JSON.parse(storage.getItem('taskflow.session')).refreshToken, 'r2');
  assert.equal(session.user.name, 'Ada');
  session.end(null);
});

test('a rejected refresh token ends the session and clears storage', async (t) => {
  const storage = memoryStorage();
  storage.setItem('taskflow.session', JSON.stringify({ accessToken: jwt({ sub: 'u1' }), refreshToken: 'old', expiresAt: Date.now() - 1 }));
  t.mock.method(globalThis, 'fetch', async () => new Response('{"status":401}', { status: 401 }));
  const session = new Session(storage);
  assert.equal(await session.restore(), false);
  assert.equal(session.signedIn, false);
  assert.equal(storage.getItem('taskflow.session'), null);
});

test('sign-out tells the view first (so it stops its stream), then calls logout with both tokens, and forgets them', async (t) => {
  const storage = memoryStorage();
  const access = jwt({ sub: 'u1' });
  storage.setItem('taskflow.session', JSON.stringify({ accessToken: access, refreshToken: 'r9', expiresAt: Date.now() + 600_000 }));
  const calls = [];
  let changed = 0;
  t.mock.method(globalThis, 'fetch', async (url, init) => { calls.push({ url, init, changedBefore: changed }); return new Response(null, { status: 204 }); });
  const session = new Session(storage);
  await session.restore();
  session.addEventListener('change', () => changed++);
  await session.signOut();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].changedBefore, 1, 'the view hears of the sign-out before the logout request ends its streams');
  assert.equal(calls[0].url, '/users/logout');
  assert.equal(calls[0].init.headers.Authorization, `Bearer ${access}`);
  assert.deepEqual(JSON.parse(calls[0].init.body), { refreshToken: 'r9' });
  assert.equal(session.signedIn, false);
  assert.equal(storage.getItem('taskflow.session'), null);
  assert.equal(changed, 1);
});
