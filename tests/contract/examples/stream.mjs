// Server-sent events: every event is named "notification", so listen for that name (onmessage gets nothing).
import { EventSource } from 'eventsource';
import { signIn } from './token.mjs';

const base = process.env.TASKFLOW_URL ?? 'http://localhost:8080';
const { tokens } = await signIn();
const stream = new EventSource(`${base}/notifications/stream`, {
  // The bearer token on every (re)connect; a reconnect sends Last-Event-ID and gets what it missed first.
  fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${tokens.access_token}` } }),
});
stream.onopen = () => console.log('listening');
stream.addEventListener('notification', (event) => {
  const notification = JSON.parse(event.data); // {id, type, taskId, message, createdAt, readAt}
  console.log(JSON.stringify({ id: event.lastEventId, type: notification.type, message: notification.message }));
  stream.close();
});
stream.onerror = (error) => console.error(`stream: ${error.message ?? 'reconnecting'}`);
