// The Webhooks page: create a webhook (its secret shown once, with a copy button), the caller's webhooks with their
// last delivery, their recent deliveries with redeliver, and delete with a confirmation dialog (API.md "Webhooks").
import { ApiError, query } from './api.js';
import { byId, h, clearErrors, showProblem, announce, formatTime } from './dom.js';
import { EVENT_TYPES, webhookInput, deliveryText, lastDeliveryText, eventLabel } from './webhook-events.js';

const PAGE_SIZE = 50;
const DELIVERIES_SHOWN = 10;

export function startWebhooks({ api }) {
  const abort = new AbortController();
  const on = (el, type, fn) => el.addEventListener(type, fn, { signal: abort.signal });
  const form = byId('webhook-form');
  const formError = byId('webhook-form-error');
  const list = byId('webhook-list');
  const listError = byId('webhook-list-error');
  const secretPanel = byId('webhook-secret');
  const confirmDialog = byId('webhook-confirm-dialog');
  let nextCursor = null;
  let listRequest = 0;
  let deleting = null; // {hook, opener} while the confirmation is open

  byId('webhook-event-options').replaceChildren(...EVENT_TYPES.map(({ type, label }) => {
    const id = `webhook-event-${type.replaceAll('.', '-')}`;
    return h('div', { class: 'field check' },
      h('input', { id, type: 'checkbox', value: type, dataset: { eventType: type } }),
      h('label', { for: id }, label));
  }));

  // ---- the list ----
  async function loadWebhooks(reset) {
    const request = ++listRequest;
    if (reset) { listError.textContent = ''; listError.hidden = true; }
    list.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api.get(`/webhooks${query({ limit: PAGE_SIZE, cursor: reset ? null : nextCursor })}`, { signal: abort.signal });
      if (request !== listRequest) return;
      if (reset) list.replaceChildren();
      list.append(...data.items.map(renderWebhook));
      nextCursor = data.nextCursor ?? null;
      byId('more-webhooks').hidden = !nextCursor;
      byId('webhook-empty').hidden = list.children.length > 0;
    } catch (e) {
      if (e?.name === 'AbortError') return;
      if (!(e instanceof ApiError)) throw e;
      listError.textContent = e.message;
      listError.hidden = false;
    } finally {
      if (request === listRequest) list.setAttribute('aria-busy', 'false');
    }
  }

  function renderWebhook(hook) {
    const urlId = `webhook-url-${hook.id}`;
    const last = h('p', { class: 'last-delivery', id: `webhook-last-${hook.id}` }, 'Last delivery: loading…');
    const deliveries = h('div', { class: 'deliveries', id: `webhook-deliveries-${hook.id}`, hidden: true });
    const toggle = h('button', {
      type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': deliveries.id, 'aria-describedby': urlId,
      onclick: () => toggleDeliveries(hook, toggle, deliveries),
    }, 'Show deliveries');
    const item = h('li', { class: hook.enabled ? 'webhook' : 'webhook disabled', dataset: { id: hook.id } },
      h('h4', { class: 'webhook-url', id: urlId }, hook.url),
      hook.description ? h('p', { class: 'description' }, hook.description) : null,
      h('p', { class: 'meta' },
        h('span', { class: 'pill' }, hook.enabled ? 'Enabled' : 'Disabled'),
        (hook.events ?? []).map((type) => h('span', { class: 'tag' }, eventLabel(type))),
        h('span', {}, `Created ${formatTime(hook.createdAt)}`)),
      last,
      h('div', { class: 'actions' },
        toggle,
        h('button', { type: 'button', class: 'danger', 'aria-describedby': urlId, onclick: (e) => askDelete(hook, e.currentTarget) }, 'Delete webhook')),
      deliveries);
    showLastDelivery(hook.id, last);
    return item;
  }

  async function showLastDelivery(id, element) {
    try {
      const { data } = await api.get(`/webhooks/${encodeURIComponent(id)}/deliveries${query({ limit: 1 })}`, { signal: abort.signal });
      element.textContent = lastDeliveryText(data.items[0]);
    } catch (e) {
      if (e?.name === 'AbortError') return;
      if (!(e instanceof ApiError)) throw e;
      element.textContent = `Last delivery: unknown (${e.message})`;
    }
  }

  // ---- deliveries and redeliver ----
  async function toggleDeliveries(hook, button, container) {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'Hide deliveries' : 'Show deliveries';
    container.hidden = !open;
    if (open) await loadDeliveries(hook, container);
  }

  async function loadDeliveries(hook, container) {
    container.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api.get(`/webhooks/${encodeURIComponent(hook.id)}/deliveries${query({ limit: DELIVERIES_SHOWN })}`, { signal: abort.signal });
      container.replaceChildren(data.items.length === 0
        ? h('p', { class: 'empty' }, 'No deliveries yet.')
        : h('ul', { class: 'delivery-list', 'aria-label': `Deliveries to ${hook.url}` }, data.items.map((d) => renderDelivery(hook, d, container))));
    } catch (e) {
      if (e?.name === 'AbortError') return;
      if (!(e instanceof ApiError)) throw e;
      container.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, e.message));
    } finally {
      container.setAttribute('aria-busy', 'false');
    }
  }

  function renderDelivery(hook, delivery, container) {
    const textId = `delivery-${delivery.id}`;
    const when = delivery.lastAttemptAt ?? delivery.createdAt;
    return h('li', { class: `delivery status-${delivery.status}` },
      h('p', { id: textId }, `${deliveryText(delivery)} · ${formatTime(when)}`),
      h('button', { type: 'button', class: 'secondary', 'aria-describedby': textId, onclick: (e) => redeliver(hook, delivery, container, e.currentTarget) }, 'Redeliver'));
  }

  async function redeliver(hook, delivery, container, button) {
    if (button.disabled) return;
    button.disabled = true;
    try {
      await api.post(`/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, undefined);
      announce(`${eventLabel(delivery.eventType)} will be delivered again to ${hook.url}.`);
      await loadDeliveries(hook, container);
      showLastDelivery(hook.id, byId(`webhook-last-${hook.id}`));
      container.querySelector('button')?.focus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      button.disabled = false;
      announce(`Redeliver failed: ${e.message}`);
    }
  }

  // ---- create, and the secret shown once ----
  function readForm() {
    return webhookInput({
      url: byId('webhook-url').value,
      events: [...form.querySelectorAll('input[data-event-type]:checked')].map((box) => box.dataset.eventType),
      description: byId('webhook-description').value,
    });
  }

  async function create(event) {
    event.preventDefault();
    const button = byId('webhook-create');
    if (button.disabled) return;
    button.disabled = true;
    clearErrors(form, formError);
    try {
      const { data } = await api.post('/webhooks', readForm());
      form.reset();
      showSecret(data.secret, data.url);
      await loadWebhooks(true);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showProblem(form, formError, e.problem, e.status);
    } finally {
      button.disabled = false;
    }
  }

  function showSecret(secret, url) {
    byId('webhook-secret-value').value = secret;
    byId('webhook-secret-for').textContent = url;
    secretPanel.hidden = false;
    secretPanel.focus();
    announce('Webhook created. Its secret is shown only now: copy it.');
  }

  function hideSecret() {
    byId('webhook-secret-value').value = '';
    secretPanel.hidden = true;
    byId('webhook-url').focus();
  }

  async function copySecret() {
    const field = byId('webhook-secret-value');
    try {
      await navigator.clipboard.writeText(field.value);
      announce('Secret copied to the clipboard.');
    } catch {
      // No clipboard access (not a secure context, or refused): select it, so Ctrl+C copies it.
      field.focus();
      field.select();
      announce('Copying was not allowed here: the secret is selected, press Ctrl+C to copy it.');
    }
  }

  // ---- delete, with confirmation ----
  function askDelete(hook, opener) {
    deleting = { hook, opener };
    byId('webhook-confirm-text').textContent = `Nothing more will be delivered to ${hook.url}. This cannot be undone.`;
    confirmDialog.showModal();
    byId('webhook-confirm-keep').focus();
  }

  async function confirmDelete() {
    const { hook } = deleting;
    try {
      await api.delete(`/webhooks/${encodeURIComponent(hook.id)}`);
      deleting = null;
      confirmDialog.close();
      announce(`Webhook ${hook.url} deleted.`);
      await loadWebhooks(true);
      byId('webhooks-heading').focus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      confirmDialog.close();
      listError.textContent = e.message;
      listError.hidden = false;
      listError.focus();
    }
  }

  on(form, 'submit', create);
  on(byId('webhook-secret-copy'), 'click', copySecret);
  on(byId('webhook-secret-done'), 'click', hideSecret);
  on(byId('more-webhooks'), 'click', () => loadWebhooks(false));
  on(byId('refresh-webhooks'), 'click', async () => { await loadWebhooks(true); announce('Webhooks refreshed.'); });
  on(byId('webhook-confirm-delete'), 'click', confirmDelete);
  on(byId('webhook-confirm-keep'), 'click', () => confirmDialog.close());
  // Escape, "Keep webhook" or a finished delete: focus goes back to where the user was.
  on(confirmDialog, 'close', () => {
    const opener = deleting?.opener;
    deleting = null;
    if (opener?.isConnected) opener.focus();
  });

  return {
    /** The page became visible: show the current list. */
    show() {
      loadWebhooks(true);
    },
    stop() {
      abort.abort();
      listRequest++;
      if (confirmDialog.open) confirmDialog.close();
      form.reset();
      clearErrors(form, formError);
      byId('webhook-secret-value').value = '';
      secretPanel.hidden = true;
      list.replaceChildren();
    },
  };
}
