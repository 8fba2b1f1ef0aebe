// Checks, with graphql-js itself, that a schema built from an introspection answer equals the served SDL.
// Usage: node compare-schema.mjs <introspection-answer.json> <schema.graphql>
// Exit 0 when printSchema(buildClientSchema(answer.data)) equals printSchema(buildSchema(sdl)); 1 with both prints otherwise.
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, printSchema } from 'graphql';

const [answerPath, sdlPath] = process.argv.slice(2);
const answer = JSON.parse(readFileSync(answerPath, 'utf8'));
if (answer.errors?.length) {
  console.error(`The introspection answer has errors: ${JSON.stringify(answer.errors)}`);
  process.exit(1);
}

const fromIntrospection = printSchema(buildClientSchema(answer.data));
const fromSdl = printSchema(buildSchema(readFileSync(sdlPath, 'utf8')));
if (fromIntrospection !== fromSdl) {
  console.error('--- buildClientSchema(introspection) ---');
  console.error(fromIntrospection);
  console.error('--- buildSchema(sdl) ---');
  console.error(fromSdl);
  process.exit(1);
}

console.log(`equal: ${fromSdl.split('\n').length} lines of SDL`);
