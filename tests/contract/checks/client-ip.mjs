// Test plumbing, preloaded with `node --import` by TaskFlow.Tests/Standards/ContractTools (never by a user): the tests
// stand behind a trusted loopback "proxy", so each script run gets its own client IP for the gateway's per-IP rate
// limits (X-Forwarded-For), as every test HttpClient does. The examples themselves stay plain.
const clientIp = process.env.TASKFLOW_CLIENT_IP;
if (clientIp) {
  const fetchWithoutIp = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('X-Forwarded-For', clientIp);
    return fetchWithoutIp(input, { ...init, headers });
  };
}
