// openid-client against TaskFlow's RFC 8414 metadata (algorithm 'oauth2': /.well-known/oauth-authorization-server)
// and its RFC 6749 refusals. Prints one JSON object; run by TaskFlow.Tests/Standards/OAuthClientTests.
import * as oidc from 'openid-client';

const issuer = new URL(process.env.TASKFLOW_URL);
const options = { algorithm: 'oauth2', execute: [oidc.allowInsecureRequests] };
const config = await oidc.discovery(issuer, 'taskflow', undefined, oidc.None(), options);
const intruder = await oidc.discovery(issuer, 'intruder', undefined, oidc.None(), options);

async function refusal(grant) {
  try {
    await grant();
    return 'accepted';
  } catch (error) {
    return { error: error.error ?? error.code, status: error.status };
  }
}

console.log(JSON.stringify({
  metadata: config.serverMetadata(),
  wrongPassword: await refusal(() => oidc.genericGrantRequest(config, 'password',
    { username: process.env.TASKFLOW_EMAIL, password: 'not-the-password' })),
  unknownClient: await refusal(() => oidc.genericGrantRequest(intruder, 'password',
    { username: process.env.TASKFLOW_EMAIL, password: process.env.TASKFLOW_PASSWORD })),
  unsupportedGrant: await refusal(() => oidc.clientCredentialsGrant(config)),
}));
