// The TaskFlow web client: sign up / sign in, then the task list, notifications and the Webhooks page (loaded only
// once signed in, so the signed-out page needs little script to become interactive). Pages are chosen by the URL's
// fragment (#/tasks, #/webhooks), so links, the back button and reloads keep the page.
import { Session } from './session.js';
import { Api, ApiError } from './api.js';
import { byId, clearErrors, showProblem, announce } from './dom.js';

const session = new Session();
const api = new Api(session);
const authForm = byId('auth-form');
const authError = byId('auth-form-error');
let signUpMode = false;
let running = null;
let page = pageOf(location.hash) ?? 'tasks';

/** "#/webhooks" → "webhooks"; any other fragment (the skip link's "#main") is not a page. */
function pageOf(hash) {
  if (!hash.startsWith('#/')) return null;
  return hash === '#/webhooks' ? 'webhooks' : 'tasks';
}

/** Shows the current page's view (signed in only) and marks its link as the current page. */
function showPage() {
  const signedIn = session.signedIn;
  byId('tasks-view').hidden = !signedIn || page !== 'tasks';
  byId('webhooks-view').hidden = !signedIn || page !== 'webhooks';
  for (const name of ['tasks', 'webhooks']) {
    const link = byId(`nav-${name}`);
    if (name === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (signedIn && page === 'webhooks') running?.webhooks.show();
}

function focusPage() {
  (page === 'webhooks' ? byId('webhooks-heading') : byId('new-task')).focus();
}

function setMode(signUp) {
  signUpMode = signUp;
  clearErrors(authForm, authError);
  byId('auth-heading').textContent = signUp ? 'Create your account' : 'Sign in';
  byId('auth-submit').textContent = signUp ? 'Sign up' : 'Sign in';
  byId('display-name-field').hidden = !signUp;
  byId('auth-password-hint').hidden = !signUp;
  byId('auth-password').autocomplete = signUp ? 'new-password' : 'current-password';
  byId('auth-switch-text').textContent = signUp ? 'Already have an account?' : 'New to TaskFlow?';
  byId('auth-switch').textContent = signUp ? 'Back to sign in' : 'Create an account';
  (signUp ? byId('auth-display-name') : byId('auth-email')).focus();
}

async function submitAuth(event) {
  event.preventDefault();
  const submit = byId('auth-submit');
  if (submit.disabled) return;
  submit.disabled = true;
  clearErrors(authForm, authError);
  const email = byId('auth-email').value.trim();
  const password = byId('auth-password').value;
  try {
    if (signUpMode) {
      const displayName = byId('auth-display-name').value.trim();
      await api.post('/users/register', { email, password, displayName }, {
        anonymous: true,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
    }
    const failed = await session.signIn(email, password);
    if (failed) {
      const problem = await failed.json().catch(() => null);
      showProblem(authForm, authError, problem, failed.status);
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    // 409: the address is taken; that belongs next to the Email field.
    const problem = e.status === 409 ? { errors: { email: [e.problem?.detail ?? 'This email is already registered.'] } } : e.problem;
    showProblem(authForm, authError, problem, e.status);
  } finally {
    submit.disabled = false;
  }
}

async function render(reason) {
  const signedIn = session.signedIn;
  const starting = signedIn && !running;
  if (starting) {
    // The signed-in view appears only once its handlers are wired: a click on "New task" never lands before them.
    const [{ startTasks }, { startNotifications }, { startWebhooks }] = await Promise.all(
      [import('./tasks.js'), import('./notifications.js'), import('./webhooks.js')]);
    running = { tasks: startTasks({ api, session }), notifications: startNotifications({ api, session }), webhooks: startWebhooks({ api }) };
  }
  byId('auth-view').hidden = signedIn;
  byId('session-bar').hidden = !signedIn;
  byId('page-nav').hidden = !signedIn;
  if (starting || !signedIn) showPage();
  if (starting) {
    const user = session.user;
    byId('who').textContent = user.name;
    byId('auth-password').value = '';
    announce(`Signed in as ${user.name}.`);
    focusPage();
  } else if (!signedIn && running) {
    for (const part of Object.values(running)) part.stop();
    running = null;
    setMode(false);
    if (reason) {
      authError.textContent = reason;
      authError.hidden = false;
    }
    announce(reason ?? 'Signed out.');
  }
}

authForm.addEventListener('submit', submitAuth);
byId('auth-switch').addEventListener('click', () => setMode(!signUpMode));
byId('sign-out').addEventListener('click', () => session.signOut());
session.addEventListener('change', (e) => render(e.detail?.reason));
session.addEventListener('refresh', () => { byId('who').textContent = session.user?.name ?? ''; });
window.addEventListener('hashchange', () => {
  const next = pageOf(location.hash);
  if (!next || next === page) return;
  page = next;
  showPage();
  if (session.signedIn) focusPage();
});

if (await session.restore()) {
  await render();
}
document.documentElement.dataset.ready = 'true';
// Time to interactive, as bench/web measures it: the form's handlers are attached from here on.
performance.mark('taskflow-interactive');
