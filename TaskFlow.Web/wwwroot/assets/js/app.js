// The TaskFlow web client: sign up / sign in, then the task list and notifications (loaded only once signed in, so
// the signed-out page needs little script to become interactive).
import { Session } from './session.js';
import { Api, ApiError } from './api.js';
import { byId, clearErrors, showProblem, announce } from './dom.js';

const session = new Session();
const api = new Api(session);
const authForm = byId('auth-form');
const authError = byId('auth-form-error');
let signUpMode = false;
let running = null;

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
    const [{ startTasks }, { startNotifications }] = await Promise.all([import('./tasks.js'), import('./notifications.js')]);
    running = [startTasks({ api, session }), startNotifications({ api, session })];
  }
  byId('auth-view').hidden = signedIn;
  byId('tasks-view').hidden = !signedIn;
  byId('session-bar').hidden = !signedIn;
  if (starting) {
    const user = session.user;
    byId('who').textContent = user.name;
    byId('auth-password').value = '';
    announce(`Signed in as ${user.name}.`);
    byId('new-task').focus();
  } else if (!signedIn && running) {
    for (const part of running) part.stop();
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

if (await session.restore()) {
  await render();
}
document.documentElement.dataset.ready = 'true';
// Time to interactive, as bench/web measures it: the form's handlers are attached from here on.
performance.mark('taskflow-interactive');
