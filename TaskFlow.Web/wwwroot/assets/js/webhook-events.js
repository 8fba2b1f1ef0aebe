// Webhooks as the page shows them, without the DOM (so node's test runner checks it): the event types a user can
// subscribe to, the POST /webhooks body from the form, and the words for a delivery's state.

/** API.md "Webhooks": the event types, in the order the form lists them. */
export const EVENT_TYPES = [
  { type: 'task.created', label: 'Task created' },
  { type: 'task.updated', label: 'Task updated' },
  { type: 'task.assigned', label: 'Task assigned' },
  { type: 'task.deleted', label: 'Task deleted' },
  { type: 'task.comment.added', label: 'Comment added' },
];

/** The API field names the webhook form shows errors for. */
export const WEBHOOK_FIELDS = ['url', 'events', 'description'];

const STATUS_LABELS = { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' };

/**
 * The body of POST /webhooks: the URL trimmed, the chosen event types (known ones only, each once, in the listed
 * order), and the description only when there is one. Nothing is checked here: the service's rules and messages are
 * the ones the user sees, next to the field they concern.
 * @param {{url?: string, events?: string[], description?: string}} form
 */
export function webhookInput({ url = '', events = [], description = '' } = {}) {
  const chosen = new Set(events);
  const input = { url: url.trim(), events: EVENT_TYPES.map((e) => e.type).filter((type) => chosen.has(type)) };
  const text = description.trim();
  if (text) input.description = text;
  return input;
}

/** "task.comment.added" → "Comment added"; an unknown type as it is. */
export function eventLabel(type) {
  return EVENT_TYPES.find((e) => e.type === type)?.label ?? String(type);
}

/** One delivery in words: "Task created: Failed, HTTP 503, 3 attempts". */
export function deliveryText(delivery) {
  const status = STATUS_LABELS[delivery.status] ?? String(delivery.status);
  const parts = [status];
  if (delivery.attempts > 0) {
    parts.push(Number.isInteger(delivery.lastResponseStatus) ? `HTTP ${delivery.lastResponseStatus}` : 'no response');
  }
  parts.push(delivery.attempts === 0 ? 'not attempted yet' : `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`);
  return `${eventLabel(delivery.eventType)}: ${parts.join(', ')}`;
}

/** The list's line for a webhook's newest delivery (GET /webhooks/{id}/deliveries?limit=1), or that there is none. */
export function lastDeliveryText(delivery) {
  return delivery ? `Last delivery: ${deliveryText(delivery)}` : 'No deliveries yet.';
}
