// Live notifications: GET /notifications/stream read with fetch() (EventSource cannot send the bearer token), an
// unread count on the Notifications button, the list, and mark-read. Reconnects with Last-Event-ID, so nothing
// created while the connection was down is missed.
import { ApiError, query } from './api.js';
import { SseParser, readEventStream, reconnectDelay } from './sse.js';
import { byId, h, announce, formatTime } from './dom.js';

const UNREAD_PAGE = 100;

export function startNotifications({ api, session }) {
  const abort = new AbortController();
  const on = (el, type, fn) => el.addEventListener(type, fn, { signal: abort.signal });
  const button = byId('notifications-button');
  const panel = byId('notifications-panel');
  const listEl = byId('notification-list');
  const known = new Map(); // id → {notification, element}
  let unread = 0;
  let unreadMore = false; // more unread than the first page counted
  let lastEventId = '';

  function setUnread(count) {
    unread = Math.max(0, count);
    byId('unread-count').textContent = unreadMore ? `${unread}+` : String(unread);
    button.classList.toggle('has-unread', unread > 0);
  }

  function render(notification) {
    const isUnread = !notification.readAt;
    const messageId = `notification-${notification.id}`;
    const actions = h('div', { class: 'actions' });
    if (notification.taskId) {
      actions.append(h('button', { type: 'button', class: 'link', 'aria-describedby': messageId,
        onclick: (e) => window.dispatchEvent(new CustomEvent('taskflow:open-task', { detail: { taskId: notification.taskId, from: e.currentTarget } })) }, 'Open task'));
    }
    if (isUnread) {
      actions.append(h('button', { type: 'button', class: 'secondary', 'aria-describedby': messageId, onclick: () => markRead(notification.id) }, 'Mark read'));
    }
    return h('li', { class: isUnread ? 'notification unread' : 'notification', dataset: { id: notification.id } },
      h('p', { id: messageId }, isUnread ? h('span', { class: 'sr-only' }, 'Unread: ') : null, notification.message),
      h('p', { class: 'meta' }, formatTime(notification.createdAt)),
      actions);
  }

  /** Adds a notification once (the stream and the initial page may overlap); new ones go first. */
  function add(notification, live) {
    if (known.has(notification.id)) return false;
    const element = render(notification);
    known.set(notification.id, { notification, element });
    if (live) listEl.prepend(element); else listEl.append(element);
    byId('notifications-empty').hidden = true;
    return true;
  }

  async function markRead(id) {
    const entry = known.get(id);
    if (!entry || entry.notification.readAt) return;
    try {
      await api.post(`/notifications/${encodeURIComponent(id)}/read`, undefined);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      announce(e.message);
      return;
    }
    entry.notification = { ...entry.notification, readAt: new Date().toISOString() };
    const element = render(entry.notification);
    const hadFocus = entry.element.contains(document.activeElement);
    entry.element.replaceWith(element);
    entry.element = element;
    setUnread(unread - 1);
    if (hadFocus) (element.querySelector('button') ?? panel.querySelector('h2')).focus();
    announce('Marked as read.');
  }

  async function loadInitial() {
    const [{ data: unreadPage }, { data: recent }] = await Promise.all([
      api.get(`/notifications${query({ unread: true, limit: UNREAD_PAGE })}`),
      api.get(`/notifications${query({ limit: 20 })}`),
    ]);
    // The recent ones and every unread one (so each can be marked read), newest first.
    const all = new Map([...unreadPage.items, ...recent.items].map((n) => [n.id, n]));
    for (const n of [...all.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) add(n, false);
    unreadMore = Boolean(unreadPage.nextCursor);
    setUnread(unreadPage.items.length);
  }

  async function stream() {
    let attempt = 0;
    let initialLoaded = false;
    const state = byId('stream-state');
    while (!abort.signal.aborted) {
      try {
        const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${session.accessToken}` };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch('/notifications/stream', { headers, signal: abort.signal, cache: 'no-store' });
        if (response.status === 401) {
          if (!(await session.refresh())) return;
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        state.textContent = 'Live updates on.';
        attempt = 0;
        if (!initialLoaded) {
          // Subscribed first, then read what already exists: nothing falls between the two.
          await loadInitial();
          initialLoaded = true;
        }
        const parser = new SseParser();
        await readEventStream(response, parser, (event) => {
          // The Notifier names its events "notification"; an unnamed event is a "message".
          if ((event.type !== 'notification' && event.type !== 'message') || !event.data) return;
          let notification;
          try { notification = JSON.parse(event.data); } catch { return; }
          lastEventId = event.id || notification.id;
          if (add(notification, true)) {
            if (!notification.readAt) setUnread(unread + 1);
            announce(`New notification: ${notification.message}`);
            window.dispatchEvent(new CustomEvent('taskflow:notification', { detail: notification }));
          }
        });
      } catch (e) {
        if (abort.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) return;
      }
      if (abort.signal.aborted) return;
      state.textContent = 'Reconnecting…';
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt++)));
    }
  }

  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) panel.querySelector('h2').setAttribute('tabindex', '-1');
    (open ? panel.querySelector('h2') : button).focus();
  }

  async function markAll() {
    for (const [id, entry] of known) {
      if (!entry.notification.readAt) await markRead(id);
    }
  }

  on(button, 'click', () => toggle(panel.hidden));
  on(byId('close-notifications'), 'click', () => toggle(false));
  on(byId('mark-all-read'), 'click', markAll);
  on(panel, 'keydown', (e) => { if (e.key === 'Escape') toggle(false); });

  setUnread(0);
  stream();
  return {
    stop() {
      abort.abort();
      listEl.replaceChildren();
      byId('notifications-empty').hidden = false;
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      unreadMore = false;
      setUnread(0);
    },
  };
}
