// The web chat's own labels (header, input hint, privacy line, send button, screen-reader
// words), in the language of the conversation: the server tags each message with its language
// and the page follows it. Strings come from content/messages (`web.*`). An ES module.
import { fetchStrings } from './chat-api.js';

/** Used until the strings arrive (and when they cannot be fetched). */
const FALLBACK = {
  vi: { you: 'Bạn:', bot: 'Trợ lý:', choices: 'Các lựa chọn', typing: 'Đang trả lời…', retry: 'Gửi lại', failed: 'Chưa gửi được.', error: 'Chưa gửi được. Bạn kiểm tra mạng rồi thử lại nhé.', restarted: '' },
  en: { you: 'You:', bot: 'Assistant:', choices: 'Choices', typing: 'Replying…', retry: 'Send again', failed: 'Not sent.', error: 'Could not send. Please check your connection and try again.', restarted: '' },
};

const cache = {};
let current = { lang: 'vi', strings: FALLBACK.vi };

/** The language the page shows now, and its strings. */
export function labels() {
  return current.strings;
}

/** The page's language now (`vi` or `en`). */
export function currentLang() {
  return current.lang;
}

function apply(lang, s) {
  const set = function (id, key, attr) {
    const el = document.getElementById(id);
    if (el && s[key]) {
      if (attr) el.setAttribute(attr, s[key]);
      else el.textContent = s[key];
    }
  };
  set('title', 'title');
  set('subtitle', 'subtitle');
  set('privacy', 'privacy');
  set('send', 'send');
  set('input-label', 'input_label');
  set('input', 'placeholder', 'placeholder');
  set('log', 'log_label', 'aria-label');
  if (s.title) document.title = s.title;
  document.documentElement.lang = lang;
}

/**
 * Shows the page in `lang` (fetched once per language, then kept). Remembers it so a reload
 * starts in the same language. Resolves when the labels are in place; never rejects.
 */
export function useLang(lang) {
  const wanted = lang === 'en' ? 'en' : 'vi';
  try {
    localStorage.setItem('dvcbot.lang', wanted);
  } catch (e) {
    // private mode: the language is simply not remembered
  }
  const load = cache[wanted] || fetchStrings(wanted).then(function (s) {
    return Object.assign({}, FALLBACK[wanted], s);
  }, function () {
    delete cache[wanted];
    return FALLBACK[wanted];
  });
  cache[wanted] = load;
  current = { lang: wanted, strings: current.lang === wanted ? current.strings : FALLBACK[wanted] };
  return load.then(function (s) {
    if (current.lang !== wanted) return;
    current = { lang: wanted, strings: s };
    apply(wanted, s);
  });
}

/** The language the page last showed in this browser (Vietnamese first). */
export function rememberedLang() {
  try {
    return localStorage.getItem('dvcbot.lang') === 'en' ? 'en' : 'vi';
  } catch (e) {
    return 'vi';
  }
}
