// Validates the gateway's /asyncapi.json with the reference AsyncAPI parser (@asyncapi/parser: the AsyncAPI 3.0
// JSON Schema plus its spectral rules). Prints one JSON object; run by TaskFlow.Tests/Standards/AsyncApiDocumentTests.
import { Parser } from '@asyncapi/parser';

const response = await fetch(new URL('/asyncapi.json', process.env.TASKFLOW_URL));
const text = await response.text();
const { document, diagnostics } = await new Parser().parse(text);
const describe = (d) => `${d.code}: ${d.message} at ${d.path.join('.')}`;
console.log(JSON.stringify({
  status: response.status,
  version: document?.version(),
  errors: diagnostics.filter((d) => d.severity === 0).map(describe),
  warnings: diagnostics.filter((d) => d.severity === 1).map(describe),
  channels: document?.channels().all().map((c) => c.address()) ?? [],
  messages: document?.messages().all().map((m) => m.name()) ?? [],
}));
