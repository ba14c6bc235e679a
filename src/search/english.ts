/**
 * English queries ("How do I activate my VNeID account?"). English words are indexed from the
 * guides' `en` blocks under their own prefix, so "the" (English) never meets "the" (the folded
 * Vietnamese "thẻ"). English function words are dropped only when a query is judged English.
 */
import { foldSyllable } from './normalize.ts';

/** Prefix of English terms in the index. */
export const EN_PREFIX = 'en:';

/**
 * English function words, dropped from English queries (and from English guide text). Stored
 * folded like every query word ("my" folds to "mi" under the i/y rule).
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or of to in on at by for from with into about as is are was were be been being ' +
    'am do does did done have has had i me my mine we us our you your yours he she it its they them ' +
    'their this that these those there here what which who whom whose how when where why can could ' +
    'should would will shall may might must please want need get got let tell know any some all ' +
    'just also if then than so not no yes up out way thing things someone somebody anyone one ' +
    // the person concerned, named for context ("my wife's file", "my mother in Tran De"), as the
    // Vietnamese stop words have "ông ngoại", "bà nội"; a child is the guides' "child" (below)
    'wife husband fiancee fiance mother father mom mum dad parent parents grandmother grandfather ' +
    'grandma grandpa grandparents ' +
    // other people named for context ("my neighbour's son", "a friend told me"), object and
    // possessive pronouns, contractions' leftovers ("doesn't" → "doesn", "we're" → "re"), fillers
    // and times of the story ("last week", "two months ago"): none of them is a topic
    'friend friends neighbour neighbor neighbours neighbors cousin cousins aunt uncle brother sister ' +
    'girlfriend boyfriend relative relatives her hers herself him his himself myself yourself ' +
    'ourselves themselves itself isn doesn don didn aren wasn weren won haven hasn re ve ll ' +
    // the same typed without the apostrophe
    'dont doesnt didnt isnt arent wasnt werent cant wont im ive ' +
    'actually really anymore very currently basically week weeks ago yesterday last next question questions more'
  )
    .split(' ')
    .map(foldSyllable),
);

/** A lone letter ("e" of "e-wallet", "a"): no topic in an English query or keyword, and no break in a phrase. */
export const SINGLE_LETTER = /^[a-z]$/;

/** Irregular verb forms citizens use, to their base form ("forgot" and "forgotten" both meet "forget"). */
const IRREGULAR: ReadonlyMap<string, string> = new Map(
  (
    'forgot:forget forgotten:forget lost:lose paid:pay sent:send made:make gave:give given:give ' +
    'bought:buy took:take taken:take went:go gone:go kept:keep found:find began:begin begun:begin ' +
    'chose:choose chosen:choose wrote:write written:write broke:break broken:break stolen:steal ' +
    'stole:steal saw:see seen:see ' +
    // a child named as the citizen's own ("for my daughter", "our 4-year-old's kid") meets the
    // guides' "child"; "children" is the plural
    'children:child kid:child kids:child daughter:child daughters:child son:child sons:child ' +
    'baby:child babies:child toddler:child infant:child newborn:child grandchild:child ' +
    'grandson:child granddaughter:child ' +
    // words the guides say otherwise: "how much does it cost" asks the fee, a "dossier" is a file,
    // "center" is the guides' "centre", "marry" meets "married", "merged" the merger
    'cost:fee costs:fee dossier:file dossiers:file center:centre centers:centre marry:married ' +
    'merged:merger merge:merger merging:merger thru:through log:login logged:login logging:login'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/**
 * Nouns of the procedures to their verbs, so a citizen's verb meets the guides' noun and back
 * ("register a marriage" ~ "marriage registration"). Looked up after the plural is removed.
 */
const NOUN_TO_VERB: ReadonlyMap<string, string> = new Map(
  (
    'registration:register activation:activate confirmation:confirm notification:notify ' +
    'payment:pay renewal:renew certification:certify verification:verify identification:identify ' +
    'declaration:declare replacement:replace issuance:issue submission:submit cancellation:cancel ' +
    'installation:install integration:integrate authentication:authenticate complaint:complain ' +
    'transferral:transfer deletion:delete extension:extend'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/**
 * A crude English stemmer (irregular verb forms, plural -s/-es/-ies, a few nouns of the
 * procedures to their verbs, -ing, -ed, a final silent e), enough for matching citizens' words
 * against the guides' English text ("renting" ~ "rent", "fees" ~ "fee", "activated" ~
 * "activate" ~ "activation"). Both sides go through it, so stems need not be words.
 */
export function stemEnglish(word: string): string {
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return stemEnglish(irregular);
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  w = NOUN_TO_VERB.get(w) ?? w;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else return dropSilentE(w);
  // renting → rentt? no: rent; stopped → stopp → stop
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !'aeiouls'.includes(w[w.length - 1]!)) {
    w = w.slice(0, -1);
  }
  return dropSilentE(w);
}

/** "change" and "chang(ed)" meet at "chang"; "fee", "free" keep theirs. */
function dropSilentE(w: string): string {
  return w.length > 3 && w.endsWith('e') && !w.endsWith('ee') ? w.slice(0, -1) : w;
}

const termCache = new Map<string, string | null>();
/** Cache bound (entries); cleared when full. */
const TERM_CACHE_LIMIT = 20_000;

/** The index term of an English word, or undefined for a function word or a non-ASCII word. */
export function englishTerm(folded: string): string | undefined {
  let t = termCache.get(folded);
  if (t === undefined) {
    t = ENGLISH_STOPWORDS.has(folded) || !/^[a-z0-9]+$/.test(folded) ? null : EN_PREFIX + (/^[0-9]+$/.test(folded) ? folded : stemEnglish(folded));
    if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
    termCache.set(folded, t);
  }
  return t ?? undefined;
}

/**
 * Judges whether a query (folded words, none typed with diacritics) is English: more of its
 * words are English-only (function words, or known only from the English text) than
 * Vietnamese-only (`lead` times more, and at least 2 × `lead` of them).
 */
export function looksEnglish(
  folded: readonly string[],
  isVietnameseWord: (w: string) => boolean,
  isEnglishWord: (w: string) => boolean,
  lead = 1,
): boolean {
  let en = 0;
  let vi = 0;
  for (const w of folded) {
    const inEn = ENGLISH_STOPWORDS.has(w) || isEnglishWord(w);
    const inVi = isVietnameseWord(w);
    if (inEn && !inVi) en++;
    else if (inVi && !inEn) vi++;
  }
  return en >= 2 * lead && en > vi * lead;
}
