/**
 * The hot path of Telegram update validation: a message update checked by hand against exactly
 * what `TelegramUpdateSchema` requires of it, without zod. Almost every update is a citizen's
 * message; checking it this way costs a fraction of a schema parse. Anything it is not sure of
 * (another update type, a field of the wrong type) goes to the schema as before, so the schema
 * stays the one definition of a valid update; a test holds the two in step.
 */
type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const isString = (v: unknown) => typeof v === 'string';
const isBoolean = (v: unknown) => typeof v === 'boolean';

function isUser(v: unknown): boolean {
  return (
    isObject(v) &&
    isInt(v.id) &&
    optional(v.is_bot, isBoolean) &&
    optional(v.username, isString) &&
    optional(v.language_code, isString) &&
    optional(v.first_name, isString) &&
    optional(v.last_name, isString)
  );
}

function isEntities(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const e of v) {
    if (!isObject(e) || !isString(e.type) || !isInt(e.offset) || (e.offset as number) < 0 || !isInt(e.length) || (e.length as number) < 0 || !optional(e.user, isUser)) return false;
  }
  return true;
}

function isMessage(v: unknown): boolean {
  return (
    isObject(v) &&
    isInt(v.message_id) &&
    typeof v.date === 'number' &&
    Number.isFinite(v.date) &&
    isObject(v.chat) &&
    isInt(v.chat.id) &&
    isString(v.chat.type) &&
    optional(v.message_thread_id, isInt) &&
    optional(v.is_topic_message, isBoolean) &&
    optional(v.from, isUser) &&
    optional(v.text, isString) &&
    optional(v.caption, isString) &&
    optional(v.entities, isEntities) &&
    optional(v.caption_entities, isEntities)
  );
}

/**
 * True when `raw` is a message update that `TelegramUpdateSchema` surely accepts (the schema
 * would give back an equal object); false when the schema must decide.
 */
export function isPlainMessageUpdate(raw: unknown): boolean {
  if (!isObject(raw) || !isInt(raw.update_id) || (raw.update_id as number) < 0) return false;
  if (raw.edited_message !== undefined || raw.callback_query !== undefined || raw.my_chat_member !== undefined) return false;
  return isMessage(raw.message);
}
