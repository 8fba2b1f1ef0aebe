// An OAuth 2 access token with a standard client (openid-client): discovery, the password grant, a refresh.
import * as oidc from 'openid-client';
import { pathToFileURL } from 'node:url';

const issuer = new URL(process.env.TASKFLOW_URL ?? 'http://localhost:8080');

export async function signIn(username = process.env.TASKFLOW_EMAIL, password = process.env.TASKFLOW_PASSWORD) {
  // Reads {issuer}/.well-known/openid-configuration. "taskflow" is a public client: no secret (oidc.None()).
  const config = await oidc.discovery(issuer, 'taskflow', undefined, oidc.None(),
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined);
  const tokens = await oidc.genericGrantRequest(config, 'password', { username, password });
  return { config, tokens };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { config, tokens } = await signIn();
  // Access tokens last 15 minutes; the refresh token gets a new pair (and stops working itself).
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  console.log(JSON.stringify({ issuer: config.serverMetadata().issuer, expires_in: refreshed.expires_in, access_token: refreshed.access_token }));
}
