// GraphQL: one POST /graphql with the bearer token; a refusal comes back in `errors` with extensions.code.
import { signIn } from './token.mjs';

const base = process.env.TASKFLOW_URL ?? 'http://localhost:8080';
const { tokens } = await signIn();
const query = `query MyWork($first: Int) {
  me { id displayName }
  tasks(first: $first, sort: "-createdAt") { nodes { id title status owner { displayName } } pageInfo { hasNextPage endCursor } }
}`;

const response = await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ query, variables: { first: 5 } }),
});
const { data, errors } = await response.json();
if (errors) throw new Error(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('\n'));
console.log(JSON.stringify({ me: data.me.displayName, tasks: data.tasks.nodes.map((t) => t.title) }));
