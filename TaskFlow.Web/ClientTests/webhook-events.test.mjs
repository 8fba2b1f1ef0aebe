import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_TYPES, WEBHOOK_FIELDS, webhookInput, eventLabel, deliveryText, lastDeliveryText } from '../wwwroot/assets/js/webhook-events.js';
import { mapProblem } from '../wwwroot/assets/js/problems.js';

test('the form offers exactly the event types of API.md', () => {
  assert.deepEqual(EVENT_TYPES.map((e) => e.type),
    ['task.created', 'task.updated', 'task.assigned', 'task.deleted', 'task.comment.added']);
  assert.equal(new Set(EVENT_TYPES.map((e) => e.label)).size, EVENT_TYPES.length, 'every checkbox has its own accessible name');
});

test('the POST /webhooks body: trimmed URL, chosen types in listed order and once each, description only when given', () => {
  assert.deepEqual(webhookInput({ url: '  https://hooks.example.test/in ', events: ['task.deleted', 'task.created', 'task.deleted'], description: '  ' }),
    { url: 'https://hooks.example.test/in', events: ['task.created', 'task.deleted'] });
  assert.deepEqual(webhookInput({ url: 'http://x.test', events: ['task.comment.added'], description: ' CI bridge ' }),
    { url: 'http://x.test', events: ['task.comment.added'], description: 'CI bridge' });
});

test('nothing chosen is sent as no events, so the service says why next to the field', () => {
  assert.deepEqual(webhookInput({ url: '', events: [] }), { url: '', events: [] });
  assert.deepEqual(webhookInput({ url: 'http://x.test', events: ['task.exploded'] }).events, []);
});

test('the service\'s validation errors land on the webhook form\'s fields, indexed event keys on the event types', () => {
  const problem = { status: 400, errors: { Url: ['The URL must be absolute http or https.'], 'events[1]': ['Unknown event type.'], secret: ['x'] } };
  assert.deepEqual(mapProblem(problem, WEBHOOK_FIELDS), {
    fields: { url: ['The URL must be absolute http or https.'], events: ['Unknown event type.'] },
    general: ['x'],
  });
});

test('a delivery in words: status, the receiver\'s answer and the attempts', () => {
  assert.equal(deliveryText({ eventType: 'task.created', status: 'succeeded', attempts: 1, lastResponseStatus: 200 }),
    'Task created: Succeeded, HTTP 200, 1 attempt');
  assert.equal(deliveryText({ eventType: 'task.comment.added', status: 'failed', attempts: 6, lastResponseStatus: null }),
    'Comment added: Failed, no response, 6 attempts');
  assert.equal(deliveryText({ eventType: 'task.assigned', status: 'pending', attempts: 0, lastResponseStatus: null }),
    'Task assigned: Pending, not attempted yet');
  assert.equal(eventLabel('task.renamed'), 'task.renamed');
});

test('the list line for the last delivery, or none yet', () => {
  assert.equal(lastDeliveryText(undefined), 'No deliveries yet.');
  assert.equal(lastDeliveryText({ eventType: 'task.deleted', status: 'failed', attempts: 2, lastResponseStatus: 503 }),
    'Last delivery: Task deleted: Failed, HTTP 503, 2 attempts');
});
