/**
 * The shared renderer: adapts a channel-neutral OutboundMessage to one channel's capabilities.
 * Splits long text at paragraph, then line, then word boundaries; turns option buttons into a
 * numbered text menu where the channel has none (or too few); writes links into the text where
 * the channel has no link buttons.
 */
import type { ChannelCapabilities } from './ports.ts';
import type { Button, OutboundMessage, RenderedMessage } from './types.ts';

/** Sentences the renderer adds, from the content's messages (never hard-coded). */
export interface RenderHints {
  /** Shown under a numbered menu, e.g. "Gõ số để chọn." */
  readonly typeNumber: string;
}

/**
 * Splits text into chunks of at most `limit` UTF-16 units, preferring paragraph breaks,
 * then line breaks, then spaces; only cuts a word when it alone exceeds the limit.
 * Never splits a surrogate pair.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be positive');
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < limit * 0.3) cut = Math.max(cut, window.lastIndexOf('\n'));
    if (cut < limit * 0.3) cut = Math.max(cut, window.lastIndexOf(' '));
    if (cut <= 0) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep surrogate pairs whole
    }
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** Shortens a label to `limit` characters with an ellipsis. */
export function clipLabel(label: string, limit: number): string {
  const chars = [...label];
  return chars.length <= limit ? label : `${chars.slice(0, Math.max(1, limit - 1)).join('')}…`;
}

/**
 * Renders one outbound message for a channel. The result has one or more chunks, each within
 * the text limit; only the last chunk carries native buttons.
 */
export function renderForChannel(
  message: OutboundMessage,
  caps: ChannelCapabilities,
  hints: RenderHints,
): RenderedMessage[] {
  const options = message.buttons.filter((b): b is Extract<Button, { kind: 'option' }> => b.kind === 'option');
  const links = message.buttons.filter((b): b is Extract<Button, { kind: 'url' }> => b.kind === 'url');
  const native: Button[] = [];
  let text = message.text;

  const optionsNative = caps.optionButtons && options.length + (caps.urlButtons ? links.length : 0) <= caps.maxButtons;
  if (optionsNative) {
    native.push(...options.map((b) => ({ ...b, label: clipLabel(b.label, caps.buttonLabelLimit) })));
  }
  if (options.length > 0 && (!optionsNative || caps.optionsAlsoInText === true)) {
    const menu = options.map((b) => `${b.index}. ${b.label}`).join('\n');
    text = `${text}\n\n${menu}\n${hints.typeNumber}`;
  }
  if (links.length > 0) {
    if (caps.urlButtons && native.length + links.length <= caps.maxButtons) {
      native.push(...links.map((b) => ({ ...b, label: clipLabel(b.label, caps.buttonLabelLimit) })));
    } else {
      text = `${text}\n\n${links.map((l) => `🔗 ${l.label}: ${l.url}`).join('\n')}`;
    }
  }
  const chunks = splitText(text, caps.textLimit);
  return chunks.map((chunk, i) => ({
    text: chunk,
    buttons: i === chunks.length - 1 ? native : [],
    menuSeq: message.menuSeq,
    ...(message.fromStaff ? { fromStaff: true } : {}),
    ...(message.lang ? { lang: message.lang } : {}),
  }));
}
