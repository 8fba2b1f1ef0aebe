// The caller's tasks: filtered, searchable, paged list; the editor (create, edit, assign by email, status, delete
// with confirmation, comments); an edit conflict (412) shows the other person's version and never overwrites it
// without the user choosing to.
import { ApiError, query } from './api.js';
import { byId, h, clearErrors, showProblem, announce, labels, dateOnly, formatTime } from './dom.js';

const PAGE_SIZE = 20;
const EDITABLE = ['title', 'description', 'status', 'priority', 'dueDate', 'assigneeId', 'tags'];

export function startTasks({ api, session }) {
  const me = session.user;
  const abort = new AbortController();
  const on = (el, type, fn) => el.addEventListener(type, fn, { signal: abort.signal });
  const names = new Map();
  const emails = new Map([[me.id, me.email]]);
  const list = byId('task-list');
  const filters = byId('filters');
  const dialog = byId('task-dialog');
  const form = byId('task-form');
  const formError = byId('task-form-error');
  const commentForm = byId('comment-form');
  let nextCursor = null;
  let listRequest = 0;
  let wanted = PAGE_SIZE;
  let editing = null; // {id, etag, base, assigneeId} while a task is open; {id: null, assigneeId} for a new one
  let opener = null;
  let commentsCursor = null;

  // ---- names of owners, assignees and comment authors (GET /users/{id}, cached) ----
  function nameOf(id) {
    if (!id) return Promise.resolve('');
    if (id === me.id) return Promise.resolve('you');
    if (!names.has(id)) {
      names.set(id, api.get(`/users/${encodeURIComponent(id)}`).then((r) => r.data.displayName, () => 'someone'));
    }
    return names.get(id);
  }

  function nameSpan(id, prefix = '') {
    const span = h('span', {}, prefix);
    nameOf(id).then((name) => { span.textContent = `${prefix}${name}`; });
    return span;
  }

  // ---- the list ----
  function filterQuery() {
    const data = new FormData(filters);
    const day = (value, time) => (value ? `${value}T${time}Z` : '');
    return {
      q: data.get('q')?.trim(),
      status: data.get('status'),
      priority: data.get('priority'),
      tag: data.get('tag')?.trim(),
      dueAfter: day(data.get('dueAfter'), '00:00:00'),
      dueBefore: day(data.get('dueBefore'), '23:59:59'),
      sort: data.get('sort'),
      assigneeId: data.get('assignedToMe') ? me.id : '',
      limit: PAGE_SIZE,
    };
  }

  /**
   * reset: from the first page; otherwise the next page (nextCursor). keepCount: a refresh in place (live update)
   * that reloads as many tasks as are shown, so paging and focus survive it.
   */
  async function loadTasks(reset, { keepCount = false } = {}) {
    const request = ++listRequest;
    const listError = byId('list-error');
    if (reset) clearErrors(filters, listError);
    list.setAttribute('aria-busy', 'true');
    try {
      const params = filterQuery();
      if (!reset) params.cursor = nextCursor;
      // How many the user has asked to see: a live refresh reloads that many (a "Load more" in flight included).
      wanted = keepCount ? wanted : reset ? PAGE_SIZE : wanted + PAGE_SIZE;
      if (keepCount) params.limit = Math.min(100, wanted);
      const { data } = await api.get(`/tasks${query(params)}`, { signal: abort.signal });
      if (request !== listRequest) return;
      const focusedId = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
      if (reset) list.replaceChildren();
      list.append(...data.items.map(renderTask));
      if (focusedId) list.querySelector(`li[data-id="${CSS.escape(focusedId)}"] .task-title button`)?.focus();
      nextCursor = data.nextCursor ?? null;
      byId('load-more').hidden = !nextCursor;
      byId('task-empty').hidden = list.children.length > 0;
    } catch (e) {
      if (e?.name === 'AbortError') return;
      if (!(e instanceof ApiError)) throw e;
      showProblem(filters, listError, e.problem, e.status);
    } finally {
      if (request === listRequest) list.setAttribute('aria-busy', 'false');
    }
  }

  function renderTask(task) {
    const metaId = `task-meta-${task.id}`;
    const due = dateOnly(task.dueDate);
    const overdue = due && task.status !== 'done' && due < new Date().toISOString().slice(0, 10);
    return h('li', { class: `task status-${task.status}`, dataset: { id: task.id } },
      h('h3', { class: 'task-title' },
        h('button', { type: 'button', class: 'link', 'aria-describedby': metaId, onclick: (e) => openEditor(task.id, e.currentTarget) }, task.title)),
      h('p', { class: 'meta', id: metaId },
        h('span', { class: `pill status` }, labels.status[task.status] ?? task.status),
        h('span', { class: `pill priority-${task.priority}` }, `${labels.priority[task.priority] ?? task.priority} priority`),
        due ? h('span', { class: overdue ? 'due overdue' : 'due' }, `Due ${due}${overdue ? ' (overdue)' : ''}`) : null,
        task.ownerId === me.id ? null : nameSpan(task.ownerId, 'Owner: '),
        task.assigneeId ? nameSpan(task.assigneeId, 'Assigned to ') : null,
        (task.tags ?? []).map((tag) => h('span', { class: 'tag' }, `#${tag}`))));
  }

  // ---- the editor ----
  function fill(task) {
    byId('task-title').value = task?.title ?? '';
    byId('task-description').value = task?.description ?? '';
    byId('task-status').value = task?.status ?? 'todo';
    byId('task-priority').value = task?.priority ?? 'medium';
    byId('task-due').value = dateOnly(task?.dueDate);
    byId('task-tags').value = (task?.tags ?? []).join(', ');
    byId('task-assignee').value = '';
    showAssignee(task?.assigneeId ?? null);
  }

  function showAssignee(assigneeId) {
    editing.assigneeId = assigneeId;
    byId('current-assignee').hidden = !assigneeId;
    const text = byId('current-assignee-text');
    text.textContent = '';
    if (assigneeId) {
      const email = emails.get(assigneeId);
      nameOf(assigneeId).then((name) => { text.textContent = `Currently assigned to ${name}${email && name !== 'you' ? ` (${email})` : ''}.`; });
    }
  }

  async function openEditor(id, from) {
    opener = from ?? document.activeElement;
    clearErrors(form, formError);
    clearErrors(commentForm);
    byId('conflict').hidden = true;
    editing = { id, etag: null, base: null, assigneeId: null };
    fill(null);
    byId('task-dialog-heading').textContent = id ? 'Edit task' : 'New task';
    byId('task-delete').hidden = true;
    byId('comments').hidden = !id;
    byId('comment-list').replaceChildren();
    if (!dialog.open) dialog.showModal();
    if (id) {
      try {
        const { data, etag } = await api.get(`/tasks/${encodeURIComponent(id)}`);
        editing = { id, etag, base: data, assigneeId: data.assigneeId ?? null };
        fill(data);
        byId('task-delete').hidden = data.ownerId !== me.id;
        loadComments(true);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        showProblem(form, formError, e.problem, e.status);
        return;
      }
    }
    byId('task-title').focus();
  }

  function closeEditor() {
    if (dialog.open) dialog.close();
  }

  function readInput() {
    const tags = [...new Set(byId('task-tags').value.split(',').map((t) => t.trim()).filter(Boolean))];
    const due = byId('task-due').value;
    return {
      title: byId('task-title').value.trim(),
      description: byId('task-description').value,
      status: byId('task-status').value,
      priority: byId('task-priority').value,
      dueDate: due ? `${due}T00:00:00Z` : null,
      tags,
    };
  }

  /** The assignee's id: an email typed in the Assignee field is looked up (GET /users/lookup); empty keeps the current one. */
  async function resolveAssignee() {
    const email = byId('task-assignee').value.trim();
    if (!email) return { ok: true, id: editing.assigneeId };
    try {
      const { data } = await api.get(`/users/lookup${query({ email })}`);
      emails.set(data.id, email);
      return { ok: true, id: data.id };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const messages = e.status === 404 ? ['No TaskFlow user has this email address.']
        : e.problem?.errors ? Object.values(e.problem.errors).flat() : [e.message];
      showProblem(form, formError, e.status === 404 || e.status === 400 ? { errors: { assignee: messages } } : e.problem, e.status);
      return { ok: false };
    }
  }

  async function save(event) {
    event?.preventDefault();
    const button = byId('task-save');
    if (button.disabled) return;
    button.disabled = true;
    clearErrors(form, formError);
    try {
      const assignee = await resolveAssignee();
      if (!assignee.ok) return;
      const input = { ...readInput(), assigneeId: assignee.id ?? null };
      if (editing.id) {
        await update(input);
      } else {
        await api.post('/tasks', input, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
        closeEditor();
        announce(`Task “${input.title}” created.`);
        await loadTasks(true);
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showProblem(form, formError, e.problem, e.status);
    } finally {
      button.disabled = false;
    }
  }

  async function update(input) {
    try {
      await api.put(`/tasks/${encodeURIComponent(editing.id)}`, input, { headers: { 'If-Match': editing.etag } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        await showConflict(input);
        return;
      }
      throw e;
    }
    closeEditor();
    announce(`Task “${input.title}” saved.`);
    await loadTasks(true);
  }

  /** 412: fetch the current version and show what the other person changed; the user decides what happens next. */
  async function showConflict(mine) {
    const { data: theirs, etag } = await api.get(`/tasks/${encodeURIComponent(editing.id)}`);
    const base = editing.base ?? {};
    const changes = byId('conflict-changes');
    changes.replaceChildren();
    for (const field of EDITABLE) {
      if (same(base[field], theirs[field])) continue;
      const value = h('dd');
      if (field === 'assigneeId') value.append(theirs.assigneeId ? nameSpan(theirs.assigneeId) : 'nobody');
      else value.textContent = display(field, theirs[field]);
      changes.append(h('dt', {}, fieldLabel(field)), value);
    }
    if (changes.children.length === 0) changes.append(h('dt', {}, 'Fields'), h('dd', {}, 'No visible field changed.'));
    byId('conflict-version').textContent = `saved ${formatTime(theirs.updatedAt)}`;
    editing.pending = { theirs, etag, mine };
    const conflict = byId('conflict');
    conflict.hidden = false;
    conflict.tabIndex = -1;
    conflict.focus();
  }

  async function keepMine() {
    const { theirs, etag } = editing.pending;
    editing = { ...editing, etag, base: theirs, pending: null };
    byId('conflict').hidden = true;
    await save();
  }

  function takeTheirs() {
    const { theirs, etag } = editing.pending;
    editing = { ...editing, etag, base: theirs, pending: null };
    fill(theirs);
    byId('conflict').hidden = true;
    announce('Loaded the other person’s version. Your changes were discarded.');
    byId('task-title').focus();
  }

  // ---- delete, with confirmation ----
  const confirmDialog = byId('confirm-dialog');
  function askDelete() {
    byId('confirm-text').textContent = `“${editing.base?.title ?? ''}” will be deleted for everyone. This cannot be undone.`;
    confirmDialog.showModal();
    byId('confirm-keep').focus();
  }

  async function confirmDelete() {
    const title = editing.base?.title ?? '';
    try {
      await api.delete(`/tasks/${encodeURIComponent(editing.id)}`);
      confirmDialog.close();
      closeEditor();
      announce(`Task “${title}” deleted.`);
      await loadTasks(true);
      byId('new-task').focus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      confirmDialog.close();
      showProblem(form, formError, e.problem, e.status);
    }
  }

  // ---- comments ----
  async function loadComments(reset) {
    const taskId = editing.id;
    try {
      const { data } = await api.get(`/tasks/${encodeURIComponent(taskId)}/comments${query({ cursor: reset ? null : commentsCursor })}`);
      if (editing?.id !== taskId) return;
      const items = byId('comment-list');
      if (reset) items.replaceChildren();
      items.append(...data.items.map(renderComment));
      commentsCursor = data.nextCursor ?? null;
      byId('more-comments').hidden = !commentsCursor;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showProblem(commentForm, null, e.problem, e.status);
    }
  }

  function renderComment(comment) {
    return h('li', { class: 'comment' },
      h('p', { class: 'meta' }, nameSpan(comment.authorId), ` · ${formatTime(comment.createdAt)}`),
      h('p', { class: 'body' }, comment.body));
  }

  async function addComment(event) {
    event.preventDefault();
    const body = byId('comment-body');
    const button = commentForm.querySelector('button[type=submit]');
    if (button.disabled) return;
    button.disabled = true;
    clearErrors(commentForm);
    try {
      const { data } = await api.post(`/tasks/${encodeURIComponent(editing.id)}/comments`, { body: body.value },
        { headers: { 'Idempotency-Key': crypto.randomUUID() } });
      byId('comment-list').append(renderComment(data));
      body.value = '';
      announce('Comment added.');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showProblem(commentForm, null, e.problem, e.status);
    } finally {
      button.disabled = false;
      body.focus();
    }
  }

  // ---- wiring ----
  on(byId('new-task'), 'click', (e) => openEditor(null, e.currentTarget));
  on(form, 'submit', save);
  on(byId('task-cancel'), 'click', closeEditor);
  on(byId('task-delete'), 'click', askDelete);
  on(byId('unassign'), 'click', () => { byId('task-assignee').value = ''; showAssignee(null); announce('Unassigned; save to apply.'); byId('task-assignee').focus(); });
  on(byId('conflict-keep-mine'), 'click', keepMine);
  on(byId('conflict-take-theirs'), 'click', takeTheirs);
  on(byId('confirm-delete'), 'click', confirmDelete);
  on(byId('confirm-keep'), 'click', () => { confirmDialog.close(); byId('task-delete').focus(); });
  on(commentForm, 'submit', addComment);
  on(byId('more-comments'), 'click', () => loadComments(false));
  on(dialog, 'close', () => { editing = null; if (opener?.isConnected) opener.focus(); else byId('new-task').focus(); });
  on(filters, 'submit', (e) => { e.preventDefault(); loadTasks(true); });
  on(filters, 'reset', () => setTimeout(() => loadTasks(true)));
  on(filters, 'change', (e) => { if (e.target.tagName === 'SELECT' || e.target.type === 'checkbox') loadTasks(true); });
  on(byId('load-more'), 'click', () => loadTasks(false));
  // Live: a notification refreshes the list in place; while the editor is open, once it closes.
  let liveRefresh = 0;
  let staleList = false;
  on(window, 'taskflow:notification', () => {
    clearTimeout(liveRefresh);
    liveRefresh = setTimeout(() => {
      staleList = dialog.open;
      if (!staleList) loadTasks(true, { keepCount: true });
    }, 300);
  });
  on(dialog, 'close', () => {
    if (staleList) loadTasks(true, { keepCount: true });
    staleList = false;
  });
  on(window, 'taskflow:open-task', (e) => openEditor(e.detail.taskId, e.detail.from));

  loadTasks(true);
  return {
    stop() {
      abort.abort();
      clearTimeout(liveRefresh);
      listRequest++;
      if (confirmDialog.open) confirmDialog.close();
      closeEditor();
      list.replaceChildren();
      filters.reset();
    },
  };
}

function same(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function fieldLabel(field) {
  return { title: 'Title', description: 'Description', status: 'Status', priority: 'Priority', dueDate: 'Due date', assigneeId: 'Assignee', tags: 'Tags' }[field];
}

function display(field, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '(empty)';
  if (field === 'status') return labels.status[value] ?? value;
  if (field === 'priority') return labels.priority[value] ?? value;
  if (field === 'dueDate') return dateOnly(value);
  if (field === 'tags') return value.join(', ');
  return String(value);
}
