import { describe, expect, it } from 'vitest';
import { decideQuestion, type ScoredCandidate } from '../../src/search/decide.ts';
import { FEATURE_NAMES, questionFeatures, type QuestionShape } from '../../src/search/decision-features.ts';
import { DEFAULT_MODEL, type DecisionModel } from '../../src/search/decision-model.ts';
import { ruleVerdict } from '../../src/search/evidence-rules.ts';
import { buildGuideIndex, selfRetrievalCheck } from '../../src/search/index.ts';
import { makeGuide, TINY } from './tiny-content.ts';

function cand(id: string, score: number, focus: number): ScoredCandidate {
  return { id, score, fused: 0.6 * (score / 30) + 0.4 * focus, coverage: focus, focus, linkHits: 0, keyword: 0, fuzzy: 0 };
}

describe('evidence rules (pure, one signal of the decision)', () => {
  it('falls back when nothing matched', () => {
    expect(ruleVerdict([], 0).decision).toBe('fallback');
  });

  it('falls back when the best guide covers too little of the question', () => {
    expect(ruleVerdict([cand('a', 30, 0.3), cand('b', 5, 0.2)], 3).decision).toBe('fallback');
  });

  it('clarifies between close candidates, offering 2–3', () => {
    const d = ruleVerdict([cand('a', 20, 0.9), cand('b', 19.5, 0.88), cand('c', 19, 0.86), cand('d', 3, 0.3)], 1);
    expect(d.decision).toBe('clarify');
    expect(d.show).toBe(3);
  });

  it('never answers a question of two or more words that shares no phrase with the guide', () => {
    const scattered = cand('a', 5, 0.65);
    expect(ruleVerdict([scattered], 2).decision).toBe('fallback');
    expect(ruleVerdict([{ ...scattered, focus: 1, coverage: 1 }], 3).decision).toBe('fallback'); // "hôm nay có mưa không" ~ "mua"
    expect(ruleVerdict([{ ...scattered, linkHits: 1 }], 2).decision).toBe('answer');
    expect(ruleVerdict([scattered], 1).decision).toBe('answer');
  });

  it('never answers with a guide that has nothing telling of the question in its title or keywords', () => {
    const unanchored = { ...cand('a', 30, 0.95), linkHits: 1, anchored: false };
    const d = ruleVerdict([unanchored, cand('b', 8, 0.4)], 2);
    expect(d.decision).toBe('fallback');
    expect(d.show).toBe(2); // still offered as a suggestion
    expect(ruleVerdict([{ ...unanchored, anchored: true }, cand('b', 8, 0.4)], 2).decision).toBe('answer');
  });

  it("lets one of the guide's keyword phrases stand in for focus when the guide is well ahead", () => {
    // "con tôi cần lý lịch tư pháp để đi xuất khẩu lao động": the keyword is there, the rest is context.
    const keyed = { ...cand('a', 30, 0.45), linkHits: 2, keyword: 3 };
    expect(ruleVerdict([keyed, cand('b', 6, 0.3)], 5).decision).toBe('answer');
    // Not without the keyword, not without a clear lead, not below the lower focus, not when a
    // topic no guide covers is named in the question.
    expect(ruleVerdict([{ ...keyed, keyword: 0 }, cand('b', 6, 0.3)], 5).decision).toBe('fallback');
    expect(ruleVerdict([keyed, cand('b', 25, 0.4)], 5).decision).not.toBe('answer');
    expect(ruleVerdict([{ ...keyed, focus: 0.3 }, cand('b', 6, 0.3)], 5).decision).toBe('fallback');
    expect(ruleVerdict([keyed, cand('b', 6, 0.3)], 5, undefined, false).decision).toBe('fallback');
  });

  it('asks a smaller lead of the keyword in a long message (context around the topic)', () => {
    const keyed = { ...cand('a', 30, 0.45), linkHits: 2, keyword: 3 };
    const near = cand('b', 22, 0.4); // 0.18 behind
    expect(ruleVerdict([keyed, near], 5).decision).toBe('fallback');
    expect(ruleVerdict([keyed, near], 12).decision).toBe('answer');
    expect(ruleVerdict([keyed, cand('b', 25, 0.4)], 12).decision).not.toBe('answer'); // 0.1 behind
  });

  it('answers when one guide is clearly ahead, with confidence in 0..1', () => {
    const d = ruleVerdict([cand('a', 30, 0.95), cand('b', 8, 0.4)], 1);
    expect(d.decision).toBe('answer');
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.confidence).toBeLessThanOrEqual(1);
  });
});

describe('the fitted decision (pure)', () => {
  const shape = (contentWords = 3): QuestionShape => ({ contentWords, topicWords: contentWords, unknownWords: 0, unknownWeight: 0, english: false, notCovered: false, clauseFocus: 0, problemFit: 0 });
  // A model that reads focus alone: p = sigmoid(10 × (focus − 0.5)).
  const focusOnly: DecisionModel = {
    features: [...FEATURE_NAMES],
    mean: FEATURE_NAMES.map(() => 0),
    scale: FEATURE_NAMES.map(() => 1),
    weights: FEATURE_NAMES.map((n) => (n === 'focus' ? 10 : 0)),
    bias: -5,
    answerAt: 0.8,
    clarifyAt: 0.5,
    fittedOn: 'test',
  };

  it('answers above answerAt, asks between the thresholds, falls back below (plausible from 0.3)', () => {
    expect(decideQuestion([cand('a', 30, 0.9), cand('b', 8, 0.2)], shape(), focusOnly).decision).toBe('answer');
    const unsure = decideQuestion([cand('a', 30, 0.56), cand('b', 29, 0.55), cand('c', 5, 0.1)], shape(), focusOnly);
    expect(unsure).toMatchObject({ decision: 'clarify', show: 2 });
    const one = decideQuestion([cand('a', 30, 0.56), cand('b', 5, 0.1)], shape(), focusOnly);
    expect(one).toMatchObject({ decision: 'clarify', show: 1 }); // "Có phải bạn hỏi về …?"
    expect(decideQuestion([cand('a', 30, 0.45), cand('b', 5, 0.1)], shape(), focusOnly)).toMatchObject({ decision: 'fallback', plausible: true });
    expect(decideQuestion([cand('a', 30, 0.1), cand('b', 5, 0.1)], shape(), focusOnly).plausible).toBeUndefined();
    expect(decideQuestion([], shape(), focusOnly).decision).toBe('fallback');
  });

  it('a message of one or two content words that two strong guides share is asked, however sure the model is', () => {
    const tied = [{ ...cand('health', 30, 0.95), linkHits: 1 }, { ...cand('social', 30, 0.95), linkHits: 1 }, cand('c', 5, 0.1)];
    expect(decideQuestion(tied, shape(2), focusOnly)).toMatchObject({ decision: 'clarify', show: 2 });
    // with more words the model's confidence stands
    expect(decideQuestion(tied, shape(5), focusOnly).decision).toBe('answer');
  });

  it('the committed model reads the signals the code computes, in order, with thresholds in 0..1', () => {
    expect(DEFAULT_MODEL.features).toEqual([...FEATURE_NAMES]);
    for (const k of ['mean', 'scale', 'weights'] as const) expect(DEFAULT_MODEL[k]).toHaveLength(FEATURE_NAMES.length);
    expect(DEFAULT_MODEL.clarifyAt).toBeLessThanOrEqual(DEFAULT_MODEL.answerAt);
    expect(DEFAULT_MODEL.answerAt).toBeLessThan(1);
    expect(questionFeatures([cand('a', 30, 0.9)], shape(), 'answer')).toHaveLength(FEATURE_NAMES.length);
  });
});

describe('decisions of the index', () => {
  const index = buildGuideIndex(TINY);

  it('answers a clear question', () => {
    const r = index.search('lam lai the can cuoc bi mat');
    expect(r.decision).toBe('answer');
    expect(r.guides[0]?.id).toBe('id-card');
  });

  it('falls back on out-of-scope questions instead of the nearest guide', () => {
    for (const q of ['giá vàng hôm nay', 'thoi tiet ngay mai', 'xổ số miền nam', 'đăng ký kinh doanh hộ cá thể']) {
      expect(index.search(q).decision, q).toBe('fallback');
    }
  });

  it('clarifies an ambiguous question between the close guides', () => {
    const r = index.search('đăng ký cư trú');
    // Asked which ("Ý bạn là:"), or both offered: never answered outright.
    expect(r.decision).not.toBe('answer');
    expect(r.guides.slice(0, 2).map((g) => g.id).sort()).toEqual(['residence-permanent', 'residence-temporary']);
  });

  it('recognises a request for a person, with or without diacritics, in English too', () => {
    for (const q of ['cho tôi gặp nhân viên', 'noi chuyen voi can bo', 'I want to talk to a human']) {
      const r = index.search(q);
      expect(r.decision, q).toBe('handoff');
      expect(r.intent).toBe('handoff');
    }
  });

  it('greets a greeting and thanks a thank-you', () => {
    expect(index.search('Xin chào').decision).toBe('greeting');
    const thanks = index.search('cam on');
    expect(thanks.decision).toBe('greeting');
    expect(thanks.intent).toBe('thanks');
  });

  it('answers the question when a greeting comes with one', () => {
    const r = index.search('chào bạn, cho hỏi đăng ký kết hôn cần giấy tờ gì');
    expect(r.decision).toBe('answer');
    expect(r.guides[0]?.id).toBe('marriage');
  });

  it('does not greet a long message that opens with a greeting but asks something the guides do not cover', () => {
    const r = index.search('chào bạn, cho mình hỏi giá vàng miếng hôm nay ở chợ bao nhiêu một chỉ');
    expect(r.decision).toBe('fallback');
    expect(index.search('chào bạn nhé').decision).toBe('greeting');
  });

  it('does not answer with a guide whose title names another app than the question does', () => {
    const apps = [
      makeGuide({
        id: 'vssid',
        title: 'Cài và dùng ứng dụng VssID',
        keywords: ['cài vssid', 'vssid bị khóa'],
        questions: ['vssid báo sai mật khẩu rồi bị khóa', 'đăng nhập vssid bằng vneid'],
      }),
      makeGuide({ id: 'vneid-passcode', title: 'Quên passcode hoặc bị khóa tài khoản VNeID', keywords: ['quên passcode vneid'], questions: ['quên mật khẩu vneid'] }),
    ];
    const withApps = buildGuideIndex({ ...TINY, guideList: [...TINY.guideList, ...apps] });
    expect(withApps.search('vneid bao sai mat khau nhieu lan bi khoa').guides[0]?.id).toBe('vneid-passcode');
    expect(withApps.search('vssid bao sai mat khau nhieu lan bi khoa').guides[0]?.id).toBe('vssid');
    // Without the subjects list, the VssID guide's near-identical sample question wins.
    const plain = buildGuideIndex({ ...TINY, synonyms: { ...TINY.synonyms, subjects: [] }, guideList: [...TINY.guideList, ...apps] });
    expect(plain.search('vneid bao sai mat khau nhieu lan bi khoa').guides[0]?.id).toBe('vssid');
  });

  it('weighs down a guide that never mentions the app the question names', () => {
    const guides = [
      makeGuide({ id: 'bank', title: 'Mở tài khoản ngân hàng trực tuyến', keywords: ['xác thực khuôn mặt', 'mở tài khoản'], questions: ['mở tài khoản cần xác thực khuôn mặt không'] }),
      makeGuide({
        id: 'vneid-register',
        title: 'Đăng ký tài khoản định danh mức 1',
        keywords: ['cài vneid', 'đăng ký tài khoản định danh'],
        questions: ['chụp ảnh khuôn mặt khi đăng ký'],
        steps: [{ text: 'Chụp ảnh khuôn mặt để xác thực.' }],
      }),
    ];
    const q = 'app vneid báo lỗi xác thực khuôn mặt';
    const withApps = buildGuideIndex({ ...TINY, guideList: [...TINY.guideList, ...guides] });
    const plain = buildGuideIndex({ ...TINY, synonyms: { ...TINY.synonyms, subjects: [] }, guideList: [...TINY.guideList, ...guides] });
    const score = (index: typeof plain, id: string) => index.explain(q).candidates.find((c) => c.id === id)!.score;
    // The bank guide mentions no app: weighed down. The other one's keywords say "vneid": as is.
    expect(score(withApps, 'bank')).toBeCloseTo(0.7 * score(plain, 'bank'), 6);
    expect(score(withApps, 'vneid-register')).toBeCloseTo(score(plain, 'vneid-register'), 6);
    // A question that names no app changes nothing.
    const other = 'lỗi xác thực khuôn mặt';
    expect(withApps.explain(other).candidates.find((c) => c.id === 'bank')!.score).toBeCloseTo(plain.explain(other).candidates.find((c) => c.id === 'bank')!.score, 6);
  });

  it('counts a word typed with diacritics no guide has (mưa) as a weaker match for a guide with the plain word (mua)', () => {
    const withCars = buildGuideIndex({
      ...TINY,
      guideList: [...TINY.guideList, makeGuide({ id: 'cars', title: 'Mua bán xe cũ, sang tên xe', keywords: ['mua xe cũ'], questions: ['mua xe cũ sang tên thế nào'] })],
    });
    const plain = withCars.explain('mua xe').candidates.find((c) => c.id === 'cars')!;
    const other = withCars.explain('mưa xe').candidates.find((c) => c.id === 'cars')!;
    expect(other.coverage).toBeLessThan(plain.coverage);
    expect(withCars.explain('múa xe').candidates.find((c) => c.id === 'cars')!.coverage).toBeLessThan(plain.coverage);
  });

  it('finds a keyword written with an abbreviation when the citizen spells it out', () => {
    const kw = (q: string): number => index.explain(q).candidates.find((c) => c.id === 'health-card')?.keyword ?? 0;
    expect(kw('tra cuu the bhyt')).toBeGreaterThan(0);
    expect(kw('tra cứu thẻ bảo hiểm y tế')).toBeGreaterThan(0);
    expect(kw('tra cứu thẻ bảo hiểm')).toBe(0); // a phrase is whole or nothing
  });

  it('answers a scam report with the scam warning', () => {
    const r = index.search('toi bi lua roi');
    expect(r).toMatchObject({ decision: 'answer', intent: 'scam-report' });
    expect(r.guides[0]?.id).toBe('scam-warning');
  });

  it('never throws and always returns up to 3 ranked guides', () => {
    for (const q of ['', '   ', '???', 'a'.repeat(5000), '🙂🙂', 'dk dk dk dk']) {
      const r = index.search(q);
      expect(r.guides.length).toBeLessThanOrEqual(3);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('topics no guide covers (not-covered intent)', () => {
  const withGaps = buildGuideIndex({
    ...TINY,
    intents: { intents: { ...TINY.intents.intents, 'not-covered': { phrases: ['hộ chiếu', 'giấy phép xây dựng'] } } },
  });
  const plain = buildGuideIndex(TINY);

  it('declines a question naming one, where the nearest guide would have been offered', () => {
    const q = 'cấp lại hộ chiếu bị mất';
    expect(plain.search(q).decision).not.toBe('fallback'); // the words alone point at the ID-card guide
    expect(plain.search(q).guides[0]?.id).toBe('id-card');
    const r = withGaps.search(q);
    expect(r).toMatchObject({ decision: 'fallback', intent: 'not-covered' });
    expect(r.guides[0]?.id).toBe('id-card'); // still reported, for editors
  });

  it('matches without diacritics and inside a longer question, and wins over a greeting', () => {
    expect(withGaps.search('chao ban cho hoi xin giay phep xay dung nha o').decision).toBe('fallback');
    expect(withGaps.search('xin chào, làm hộ chiếu ở đâu').intent).toBe('not-covered');
  });

  it('does not let a keyword phrase stand in for focus when the question names such a topic', () => {
    // "nhận trợ cấp thất nghiệp": "trợ cấp" is a keyword of the welfare guide, the rest is not covered.
    const keyed = buildGuideIndex({
      ...TINY,
      guideList: [...TINY.guideList, makeGuide({ id: 'welfare', title: 'Nhận trợ cấp qua tài khoản', keywords: ['trợ cấp'], questions: ['nhận tiền trợ cấp qua ngân hàng'] })],
      intents: { intents: { ...TINY.intents.intents, 'not-covered': { phrases: ['thất nghiệp'] } } },
    });
    const q = 'nhận trợ cấp thất nghiệp ở đâu';
    const best = keyed.explain(q).candidates[0]!;
    expect(best).toMatchObject({ id: 'welfare' });
    expect(best.keyword).toBeGreaterThan(0);
    expect(best.focus).toBeLessThan(0.5);
    expect(keyed.search(q).decision).toBe('fallback');
  });

  it("still offers the guide when its own keyword phrase is in the question", () => {
    const r = withGaps.search('mất thẻ căn cước và hộ chiếu');
    expect(['answer', 'clarify']).toContain(r.decision);
    expect(r.guides[0]?.id).toBe('id-card');
  });

  it('keeps the phrase words as content of the question (they are not swallowed like a greeting)', () => {
    const words = withGaps.explain('hộ chiếu').query.slots.length;
    expect(words).toBe(2);
  });

  it("flags for editors a guide's own sample question that the list declines", () => {
    const guideList = [...TINY.guideList, makeGuide({ id: 'passport', title: 'Cấp hộ chiếu phổ thông', keywords: ['xuất nhập cảnh'], questions: ['làm hộ chiếu lần đầu'] })];
    const misses = selfRetrievalCheck({ guideList }, buildGuideIndex({ ...TINY, guideList, intents: { intents: { 'not-covered': { phrases: ['hộ chiếu'] } } } }));
    expect(misses).toContainEqual({ guideId: 'passport', question: 'làm hộ chiếu lần đầu', notCovered: true });
    // Once the phrase is removed from the list, the new guide answers its own question.
    expect(selfRetrievalCheck({ guideList }, buildGuideIndex({ ...TINY, guideList })).filter((m) => m.guideId === 'passport')).toEqual([]);
  });

  it('leaves a person request to the handoff intent', () => {
    expect(withGaps.search('gặp nhân viên hỏi về hộ chiếu').decision).toBe('handoff');
  });
});
