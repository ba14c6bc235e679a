/**
 * What kind of commune question a message is, from its wording alone (folded words joined by
 * spaces): "… cũ giờ thuộc đâu" (a former unit, now?), "… mới gồm những phường nào" (a new unit,
 * from what?), "hồi trước nộp ở huyện … giờ nộp đâu" (filing). Deliberately narrow: a message
 * that merely names a place ("đk tạm trú ở Ninh Kiều") carries none of these.
 */

import type { Word } from './commune-text.ts';

/** Chat shorthand and Southern speech, by accented form, read as the standard words the cues know. */
const SPOKEN_ACCENTED: ReadonlyMap<string, string> = new Map([
  ['dô', 'vo'], ['zô', 'vo'], ['dzô', 'vo'], ['dậy', 'vay'], ['dợ', 'vay'], ['mí', 'may'], ['hông', 'khong'], ['hổng', 'khong'],
]);
/** The same, by folded form (these spellings mean nothing else). */
const SPOKEN_FOLDED: ReadonlyMap<string, string> = new Map([
  ['dzo', 'vo'], ['zo', 'vo'], ['z', 'vay'], ['dz', 'vay'], ['zay', 'vay'], ['dzay', 'vay'], ['zi', 'vay'], ['dzi', 'vay'],
  ['j', 'gi'], ['ji', 'gi'], ['ko', 'khong'], ['k', 'khong'], ['hok', 'khong'], ['hem', 'khong'], ['kg', 'khong'], ['khg', 'khong'],
  ['bh', 'bay gio'], ['bjo', 'bay gio'], ['bgio', 'bay gio'], ['bayh', 'bay gio'], ['nhiu', 'nhieu'], ['wa', 'qua'], ['vs', 'voi'],
]);

/**
 * The text the cues read: folded words joined by spaces, chat shorthand and Southern speech read
 * as standard words ("nhập dô" → "nhap vo", "h tên gì" → "gio ten gi"), and the words of each name
 * found replaced by one "@" (so that "Mỹ Tú" is not "từ", and a rule can say "a name, then…").
 * `kindWords`: positions of the kind words of the names found ("h" is then "huyện", not "giờ").
 */
export function cueText(words: readonly Word[], kindWords: ReadonlySet<number>, nameWords: ReadonlySet<number> = new Set()): string {
  const out: string[] = [];
  words.forEach((w, i) => {
    if (nameWords.has(i)) {
      if (!nameWords.has(i - 1)) out.push(NAME);
      return;
    }
    if (kindWords.has(i)) out.push(w.folded);
    else if (w.folded === 'h') out.push('gio');
    else if (w.folded === 'bi' && (words[i + 1]?.folded === 'h' || words[i + 1]?.folded === 'gio')) out.push('bay');
    else out.push(SPOKEN_ACCENTED.get(w.accented) ?? SPOKEN_FOLDED.get(w.folded) ?? w.folded);
  });
  return out.join(' ');
}

/** A name found in the message, in the cue text. */
const NAME = '@';

/** "giờ" as "now", not the hour ("mấy giờ", "8 giờ", "giờ làm việc"). */
const NOW =
  '(?:(?<!\\b(?:may|luc|khung|den|tu|nhieu|\\d+) )(?:bay )?gio(?! (?:mo|lam viec|dong cua|nghi|hanh chinh|hen|giac|cao diem|hoc))|hien (?:nay|gio|tai)|(?<!\\b(?:xa|phuong|tran|nha|ap|cho|noi|cai|khu|o) )nay(?! (?:mai))|sau (?:khi )?(?:sap nhap|sat nhap|sap xep|nhap|1 7)|tu 1 7)';
/** Small words between "giờ" and its verb ("giờ nó thuộc", "giờ đã sáp nhập"). */
const FILLER = '(?:(?:no|do|thi|ne|nha|minh|tui|toi|cung|co|da|duoc|bi|chac|dang|la|van|con) ){0,2}';
const UNIT = '(?:phuong|xa|thi tran|p|don vi|dia ban)';
const WHICH = '(?:nao|gi|moi)';
/** What a unit does when it is merged or renamed, right after "giờ" / "nay". */
const CHANGE =
  `(?:thuoc|la|ten|keu la|goi la|nam (?:o|trong|tai|ve)|doi (?:ten|thanh|ve|sang|qua)|sap nhap|sat nhap|nhap (?:vo|vao|voi|ve|chung|lai|thanh)|chuyen (?:thanh|ve|sang|qua)|thanh ${UNIT}|gop (?:vao|vo|voi|chung|lai))`;
/** Going somewhere now: only with "which unit?" after it ("giờ lên xã nào"). */
const MOVE = `(?:ve|vo|vao|len|sang|qua|den|toi|o) ${UNIT}(?: xa| phuong)?(?: moi)? (?:nao|gi)`;
/** Going somewhere now, or being somewhere: "where?" ("giờ về đâu", "giờ ở chỗ nào"). */
const MOVE_WHERE = '(?:ve|vo|vao|len|sang|qua|den|toi|o) (?:dau|cho nao)';
const OLD_TIME = '(?:hoi truoc|truoc day|truoc kia|ngay truoc|hoi xua|ngay xua|hoi do|truoc sap nhap|truoc khi sap nhap|truoc 1 7|len huyen|o huyen|tren huyen|len quan)';

const re = (source: string) => new RegExp(source);

/** "which unit?" ("phường nào", "xã gì", "phường mới tên là gì"). */
const WHICH_UNIT_Q = `${UNIT}(?: (?:minh|tui|toi|em|nha (?:minh|tui|toi|em)|cua (?:minh|tui|toi|em)))?(?: xa| phuong)?(?: moi)?(?: ten)?(?: la)? (?:nao|gi)\\b`;
/** A yes/no check at the end, about a name found ("… thành phường An Bình phải không?", "về phường Mỹ Xuyên hả"). */
const CONFIRM = `\\b(?:thanh|ve|vo|vao|thuoc|la|sang|qua) ${UNIT} ${NAME}(?: [a-z0-9@]+){0,6} (?:phai khong|dung khong|phai vay khong|ha|hay sao|a)$`;
/** Writing an address now ("giờ ghi sao", "giờ ghi địa chỉ là gì"). */
const WRITE_HOW = '(?:ghi|viet|dien|khai)(?: (?:dia chi|ten|lai))?(?: (?:la|thanh))? (?:sao|the nao|ra sao|nhu the nao|nhu nao|ntn|gi)';

/** A former unit, now: which new unit? */
const OLD_TO_NEW: readonly RegExp[] = [
  re(`\\b${NOW} ${FILLER}(?:${CHANGE}|${MOVE})\\b`),
  // "giờ ghi địa chỉ phường gì", "giờ làm giấy tờ ghi xã gì": now, then a which-unit question.
  re(`\\b${NOW}(?: [a-z0-9]+){0,5} ${WHICH_UNIT_Q}`),
  re(`\\b${NOW} ${FILLER}${WRITE_HOW}\\b`),
  re(`\\b(?:giu nguyen|giu ten cu|van giu ten|con giu ten)\\b`),
  re(CONFIRM),
  re(`\\bchung (?:1|mot) (?:${UNIT}|xa)\\b`),
  re(`\\b(?:sap nhap|sat nhap|nhap|gop) (?:roi|xong)(?: [a-z0-9]+){0,3} ${WHICH_UNIT_Q}`),
  re(`\\bthay doi(?: [a-z0-9@]+){0,4} (?:khong|chua)\\b`),
  re(`\\b(?:mat ten|xoa ten|bi xoa|bi giai the)\\b|\\bhay (?:da )?(?:bi )?(?:nhap|sap nhap|gop|doi ten)\\b`),
  re(`\\bdoi (?:thanh|qua|sang) (?:gi|${UNIT})\\b|\\bgiu (?:ten|nguyen)\\b|\\bchung (?:1 |mot )?(?:${UNIT}) (?:nao|gi)\\b`),
  // "→ phường mới?", "xin hỏi phường mới", "tên mới?"
  re(`\\b(?:${UNIT}|ten|dia chi) moi(?: (?:la|ten la|ten))?(?: (?:gi|nao))?(?: (?:vay|a|ha|ad|nhe|nha))?$`),
  re(`\\b(?:thuoc|la|nhap|sap nhap|ve|vo|vao|thanh|doi thanh|chuyen thanh|chuyen ve) ${UNIT}(?: xa| phuong)?(?: moi)? ${WHICH}\\b`),
  re(`\\b(?:sap nhap|sat nhap|xat nhap|gop|hop nhat) (?:vao|vo|voi|ve|thanh|chung|lai)\\b`),
  re(`\\bnhap (?:vo|voi|vao|ve|chung) (?:${UNIT}|dau|cho|nao)\\b`),
  re(`\\b(?:ten ${UNIT} moi|${UNIT} moi (?:ten |la )*(?:gi|nao)|ten moi|doi ten|dia chi moi|ten goi moi)\\b`),
  re(`\\b(?:co|bi|da) (?:bi )?(?:sap nhap|nhap|gop)\\b`),
  re(`\\bsap nhap (?:roi|xong) (?:ten|la|thuoc|o)\\b|\\b(?:sap nhap|nhap|gop) (?:voi (?:phuong|xa) khac )?chua\\b`),
  re(`\\bthuoc (?:dau|ve dau)\\b`),
  re(`\\bcon (?:ton tai |nua )?(?:khong|ko|hong|hok|k)$`),
  re(`\\bstill (?:a |an )?(?:ward|commune|township|exists?)\\b|\\b(?:same as before|still the same|unchanged|not changed)\\b`),
  re(`\\b(?:chia|tach) (?:thanh|ra|ve|cho) (?:nhung |cac |may |bao nhieu )?(?:${UNIT}|xa)\\b`),
  re(`\\b${NOW} ${FILLER}(?:co|con|gom) (?:nhung|cac|may|bao nhieu) (?:${UNIT}|xa)\\b`),
  // English
  re(`\\b(?:which|what) (?:is the )?(?:new )?(?:ward|commune)\\b`),
  re(`\\b(?:mi|our) (?:old|former) (?:ward|commune|township)\\b`),
  re(`\\b(?:did|has|have)\\b.{0,40}\\bbecome\\b|\\b(?:split|divided) (?:into|between|up)\\b`),
  re(`\\b(?:merged? (?:into|with)|became|renamed|new name|part of|belongs? to|called now)\\b`),
  re(`\\bnew (?:ward|commune|township|unit|address|one)\\b|\\bwhat s mi (?:new )?(?:ward|commune)\\b`),
  re(`\\b(?:is|are|was|were|has|have|got|been|get)\\b.{0,40}\\b(?:merged|combined|renamed|abolished)\\b`),
  re(`\\b(?:affected|changed|touched) by the (?:merger|reorganisation|reorganization|rearrangement)\\b`),
  re(`\\bwhat (?:is|s|are) \\S+(?: \\S+){0,6} called\\b`),
  re(`\\bnow\\b.*\\b(?:which|what) (?:ward|commune|one|unit)\\b|\\bnow (?:called|named|under|part)\\b`),
];

/**
 * Weaker signs of the same question: "now" with "how is it" or "where" ("Trung Kiên giờ thế nào
 * rồi", "… giờ về đâu", "which … now", "after the merger"). They do not count in a message about a
 * service or an office ("làm căn cước ở Ninh Kiều giờ thế nào", "UBND phường Cái Răng giờ ở đâu").
 */
const OLD_TO_NEW_WEAK: readonly RegExp[] = [
  re(`\\b${NOW} ${FILLER}(?:ra sao|sao roi|${MOVE_WHERE})\\b`),
  // A name, then "now" and how it is ("… giờ đổi sao?"), or "now" last ("… sau sáp nhập").
  re(`${NAME}(?: [a-z0-9]+){0,4} ${NOW} (?:(?:doi|thi|no) )?(?:the nao|nhu the nao|ntn|sao|ra sao)\\b`),
  re(`${NAME}(?: cu)?(?: (?:thi|vay|con))? (?:${NOW}|now|nowadays|today)(?: (?:thi )?(?:sao|ra sao|the nao))?(?: (?:vay|a|ha|roi|nhi))?$`),
  re(`\\b(?:which|what)\\b.*\\b(?:now|nowadays|currently|these days|after the (?:merger|merge|reorganization|rearrangement))\\b`),
  re(`\\bwhere (?:is|does|did) (?:the )?(?:old |former )?(?:ward|commune|township)\\b[^?]*\\bnow\\b`),
  re(`\\b(?:did|has|have|was|were|is)\\b.{0,30}\\bchang(?:e|ed)\\b|\\bend(?:ed|s)? up\\b|\\bwhat happen(?:ed|s)? to\\b`),
  re(`\\b(?:after|post) (?:july|jul|1 7|2025|the (?:2025 )?(?:merger|merge|reform|rearrangement|reorganization|reorganisation|reshuffle))\\b|\\bpost merger\\b`),
];

/** A service, a paper or an office: the message is about it, not about the place's new name. */
const TOPIC = re(
  '\\b(?:can cuoc|cccd|cmnd|chip|khai sinh|khai tu|ket hon|ho chieu|bang lai|giay phep|dang ky|tam tru|thuong tru|cu tru|ho khau|so do|dat dai|thue|bao hiem|bhyt|bhxh|vneid|dinh danh|chung thuc|cong chung|xac nhan|ho so|thu tuc|dien|nuoc|xe buyt|ket xe|tiem|gao|mo cua|lam viec|ubnd|uy ban|cong an|tru so|mot cua|trung tam|van phong|' +
    'passport|documents?|papers|fees?|cost|price|registration|register|birth|marriage|residence|id card|licen[cs]e|certificate|tax|insurance|office|police|open)\\b',
);

/** A new unit: formed from what? */
const NEW_TO_OLD: readonly RegExp[] = [
  re(`\\b(?:bao )?gom (?:nhung |cac |may |bao nhieu |co |nhieu )?(?:${UNIT}|xa)`),
  re(`\\bgom (?:nhung )?(?:cho|noi|dau|khu vuc|vung)\\b`),
  re(`\\b(?:sap nhap|sat nhap|nhap|hop|gop|ghep|thanh lap|hinh thanh|lap|tao thanh|tao ra|hop thanh) (?:lai )?(?:tu|boi)\\b`),
  re(`\\btu (?:nhung|cac|may|bao nhieu) (?:${UNIT}|xa)\\b`),
  re(`\\bco (?:nhung|cac|may|bao nhieu) ${UNIT}(?: xa| phuong| thi tran)* cu\\b`),
  re(`\\b(?:nhung|cac|may) ${UNIT}(?: xa| phuong| thi tran)*(?: cu)?(?: nao| gi)? (?:nhap|gop|hop|sap nhap|ghep) (?:vao|vo|thanh|lai)\\b`),
  re(`\\btruoc (?:day |kia )?(?:la|gom|co) (?:nhung|cac|may)\\b`),
  // "nhập mấy xã nào lại", "gộp từ những phường nào", "ở đâu ra".
  re(`\\b(?:nhap|gop|sap nhap|ghep|hop)(?: lai)?(?: tu)? (?:nhung|cac|may|bao nhieu|nhieu) (?:${UNIT}|xa)\\b`),
  re(`\\b(?:o|tu) dau ra\\b`),
  // English
  re(`\\b(?:made from|made out of|created out of|made up of|formed from|formed by|formed out of|created from|consists? of|comprises?|composed of|merged from)\\b`),
  re(`\\b(?:which|what) (?:old )?(?:wards|communes)\\b.{0,30}\\b(?:merged|make|made|form|formed|combined|went)\\b`),
  re(`\\b(?:make|makes|made) up\\b|\\bwhat (?:was|were)\\b.{0,40}\\bbefore\\b|\\b(?:old|former) (?:wards|communes|units) (?:of|in|that|make|made)\\b`),
];

/** Where to file papers, with a hint of "before" (the district the citizen used to go to). */
const FILING = re(`\\b(?:nop|lam giay to|lam ho so|lam thu tuc)\\b.*\\b(?:dau|cho nao|noi nao)\\b`);
const FILING_BEFORE = re(`\\b(?:${OLD_TIME}|truoc(?! (?:khi|het|tien|do|mat|gio))|len huyen)\\b`);
/** "hồi xưa lên thị trấn X làm khai sinh, giờ đi đâu làm": a before, papers, and where now. */
const FILING_THEN_NOW = re(`\\b${OLD_TIME}\\b.*\\b${NOW}\\b.*\\b(?:dau|cho nao|noi nao|${UNIT} nao)\\b`);
const PAPERS = re('\\b(?:nop|lam|giay to|ho so|thu tuc|khai sinh|khai tu|ket hon|can cuoc|cccd|chung thuc|dang ky|dong thue|dong tien|thue)\\b');
const FILING_EN = re(`\\b(?:file|submit|apply)\\b.*\\bwhere\\b|\\bwhere\\b.*\\b(?:file|submit|apply)\\b`);
const BEFORE_EN = re(`\\b(?:used to|before|previously|formerly|old|former)\\b`);

/** A former time ("hồi trước", "cũ", English "used to") anywhere: with a which-unit question it asks for the new one. */
const OLD_WORDING = re(`\\b(?:${OLD_TIME}|used to|previously|formerly|former|old)\\b`);
const WHICH_UNIT = re(`\\b${UNIT}(?: xa| phuong)?(?: moi)?(?: ten)?(?: la)? (?:nao|gi)\\b|\\bthuoc dau\\b`);

/** The cues of a message. */
export interface CommuneCues {
  /** Asks which new unit a former one is now in. */
  readonly oldToNew: boolean;
  /** Asks what a new unit was formed from. */
  readonly newToOld: boolean;
  /** Asks where to file papers, having filed elsewhere before. */
  readonly filing: boolean;
  /** Asks for several units ("những xã nào", "mấy phường", "gồm", "which communes"): a district, not its town. */
  readonly many?: boolean;
}

/** Several units asked for. */
const MANY = re(`\\b(?:nhung|cac|may|bao nhieu|gom) (?:${UNIT}|xa)|\\b(?:wards|communes)\\b`);

/** Reads the cues of a message from its folded words joined by single spaces. */
export function readCues(foldedText: string): CommuneCues {
  // "quận 8 giờ là…": a ward's or district's number is a name, not an hour.
  const folded = foldedText.replace(/\b(phuong|p|f|ward|quan|q|district|xa)( \d+)\b/g, '$1 #');
  const thenNow = FILING_THEN_NOW.test(folded);
  const filing = (FILING.test(folded) && FILING_BEFORE.test(folded)) || (FILING_EN.test(folded) && BEFORE_EN.test(folded)) || (thenNow && PAPERS.test(folded));
  const weak = !TOPIC.test(folded) && OLD_TO_NEW_WEAK.some((r) => r.test(folded));
  const oldToNew = thenNow || weak || OLD_TO_NEW.some((r) => r.test(folded)) || (OLD_WORDING.test(folded) && WHICH_UNIT.test(folded));
  return { oldToNew, newToOld: NEW_TO_OLD.some((r) => r.test(folded)), filing, many: MANY.test(folded) };
}
