import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapProblem, fieldOf, problemMessage } from '../wwwroot/assets/js/problems.js';

test('validation errors go to the fields they name, case-insensitively, indexed keys to their field', () => {
  const problem = {
    status: 400,
    title: 'One or more validation errors occurred.',
    errors: { Title: ['The title is required.'], 'tags': ['tags[1] must be 1 to 50 characters.'], 'tags[3]': ['x'] },
  };
  assert.deepEqual(mapProblem(problem, ['title', 'description', 'tags']), {
    fields: { title: ['The title is required.'], tags: ['tags[1] must be 1 to 50 characters.', 'x'] },
    general: [],
  });
});

test('errors for fields the form does not show become general messages', () => {
  const result = mapProblem({ errors: { body: ['The request body must be a JSON object.'] } }, ['title']);
  assert.deepEqual(result, { fields: {}, general: ['The request body must be a JSON object.'] });
});

test('a problem without errors gives its detail as the general message', () => {
  const result = mapProblem({ status: 403, title: 'Forbidden', detail: 'Only the owner may delete a task.' }, ['title']);
  assert.deepEqual(result, { fields: {}, general: ['Only the owner may delete a task.'] });
});

test('a non-problem body still gives a message', () => {
  assert.deepEqual(mapProblem(null, ['title']).general, ['The request failed.']);
  assert.equal(problemMessage(null, 502), 'The request failed (HTTP 502).');
  assert.equal(problemMessage({ title: 'Too many requests' }), 'Too many requests');
});

test('fieldOf takes the top-level property of a path', () => {
  assert.equal(fieldOf('DueDate'), 'dueDate');
  assert.equal(fieldOf('tags[0]'), 'tags');
  assert.equal(fieldOf('owner.email'), 'owner');
});
