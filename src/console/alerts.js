// Alerts for a busy clerk: a short chime (Web Audio, no sound file), a desktop notification
// (Notification API; permission asked once per browser, on a user action) and a note on the
// page. Sound and desktop notifications can be switched off; the page notes always show.
import { $, el } from './util.js';

const ASKED_KEY = 'dvc.notifyAsked';
const ENABLED_KEY = 'dvc.alerts';
/** How long a page note stays, ms. */
const TOAST_MS = 8000;
let audio = null;

/** True unless the clerk switched alerts off (kept in this browser). */
export function alertsEnabled() {
  return localStorage.getItem(ENABLED_KEY) !== 'off';
}

/** Shows the alerts switch as it stands. */
export function renderAlertsToggle() {
  const on = alertsEnabled();
  const btn = $('alerts-toggle');
  btn.textContent = on ? '🔔 Báo: bật' : '🔕 Báo: tắt';
  btn.setAttribute('aria-pressed', String(on));
}

/** Switches sound and desktop notifications on or off. */
export function toggleAlerts() {
  localStorage.setItem(ENABLED_KEY, alertsEnabled() ? 'off' : 'on');
  renderAlertsToggle();
  if (alertsEnabled()) {
    askPermission(true);
    unlockAudio();
  }
}

/**
 * Asks for desktop notifications once per browser (`again`: the clerk asked from the switch).
 * Call it from a user action: browsers ignore or hide requests made without one.
 */
export function askPermission(again = false) {
  if (!('Notification' in window) || Notification.permission !== 'default') return;
  if (!again && localStorage.getItem(ASKED_KEY)) return;
  localStorage.setItem(ASKED_KEY, '1');
  try {
    const asked = Notification.requestPermission();
    if (asked && typeof asked.catch === 'function') asked.catch(() => undefined);
  } catch {
    /* an old browser without the promise form: no desktop notifications */
  }
}

function audioContext() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!audio && Ctx) audio = new Ctx();
  return audio;
}

/** Lets the page play sound later (browsers start audio only after a user action). */
export function unlockAudio() {
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') ctx.resume().catch(() => undefined);
}

/** Two short rising tones. */
export function chime() {
  const ctx = audioContext();
  if (!ctx) return;
  const t0 = ctx.currentTime;
  [880, 1320].forEach((frequency, i) => {
    const at = t0 + i * 0.18;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.17);
  });
}

/** A note on the page for a few seconds; a click on it runs `onClick`. */
export function toast(text, onClick) {
  const box = $('toasts');
  const note = el('button', 'toast', text);
  note.type = 'button';
  note.addEventListener('click', () => {
    note.remove();
    if (onClick) onClick();
  });
  box.append(note);
  setTimeout(() => note.remove(), TOAST_MS);
}

/**
 * Alerts the clerk: a page note always; with alerts on, the chime and a desktop notification
 * (when allowed). `tag` replaces an older notification of the same conversation.
 */
export function alertStaff(title, body, tag, onClick) {
  toast(body ? `${title} — ${body}` : title, onClick);
  if (!alertsEnabled()) return;
  chime();
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: tag || 'dvc-console', renotify: true });
    n.onclick = () => {
      window.focus();
      if (onClick) onClick();
      n.close();
    };
  } catch {
    /* some browsers allow notifications only from a service worker: the page note is there */
  }
}
