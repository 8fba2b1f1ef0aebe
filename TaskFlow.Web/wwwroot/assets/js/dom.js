// Small DOM helpers: element creation without innerHTML (no injection from task text), field errors, announcements.
import { mapProblem } from './problems.js';

/** Creates an element: h('li', {class: 'x', onclick: fn}, 'text', child). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export const byId = (id) => document.getElementById(id);

/** The controls of a form that show errors, by the API field each one stands for. */
function fieldControls(form) {
  const controls = new Map();
  for (const el of form.elements) {
    if (!el.name) continue;
    controls.set(el.name, el);
    for (const alias of (el.dataset.errorFor ?? '').split(' ').filter(Boolean)) controls.set(alias, el);
  }
  return controls;
}

export function clearErrors(form, formError) {
  for (const el of form.elements) {
    el.removeAttribute('aria-invalid');
    const message = el.id ? byId(`${el.id}-error`) : null;
    if (message) { message.textContent = ''; message.hidden = true; }
  }
  if (formError) { formError.textContent = ''; formError.hidden = true; }
}

/**
 * Shows a problem+json answer on a form: each `errors` entry next to the field it concerns (aria-invalid, described
 * by the message), the rest in the form's error line; focuses the first field in error.
 */
export function showProblem(form, formError, problem, status) {
  clearErrors(form, formError);
  const controls = fieldControls(form);
  const mapped = mapProblem(problem ?? (status ? { title: `HTTP ${status}` } : null), [...controls.keys()]);
  let first = null;
  for (const [field, messages] of Object.entries(mapped.fields)) {
    const control = controls.get(field);
    const message = byId(`${control.id}-error`);
    control.setAttribute('aria-invalid', 'true');
    if (message) { message.textContent = messages.join(' '); message.hidden = false; }
    first ??= control;
  }
  if (mapped.general.length > 0 && formError) {
    formError.textContent = mapped.general.join(' ');
    formError.hidden = false;
  }
  (first ?? formError)?.focus?.();
}

/** Polite status message for screen readers and sighted users alike. */
export function announce(text) {
  const line = byId('status-line');
  line.textContent = '';
  // A fresh text node each time, so repeating a message is announced again.
  requestAnimationFrame(() => { line.textContent = text; });
}

export const labels = {
  status: { todo: 'To do', in_progress: 'In progress', done: 'Done' },
  priority: { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' },
};

/** "2026-12-02T00:00:00Z" → "2026-12-02" for a date input and for display. */
export function dateOnly(value) {
  return typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : '';
}

export function formatTime(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}
