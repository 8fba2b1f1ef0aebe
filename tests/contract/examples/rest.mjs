// REST: create a task and list the newest ones, with the bearer token of token.mjs.
import { signIn } from './token.mjs';

const base = process.env.TASKFLOW_URL ?? 'http://localhost:8080';
const { tokens } = await signIn();
const headers = { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json' };

const created = await fetch(`${base}/tasks`, {
  method: 'POST', headers, body: JSON.stringify({ title: 'Write the release notes', priority: 'high' }),
});
if (!created.ok) throw new Error(`POST /tasks: ${created.status} ${await created.text()}`); // problem+json
const task = await created.json();

const page = await (await fetch(`${base}/tasks?sort=-createdAt&limit=5`, { headers })).json();
console.log(JSON.stringify({ created: task.id, etag: created.headers.get('etag'), newest: page.items.map((t) => t.id) }));
