/** A tiny hand-made content set for unit tests of the search engine (no files, no I/O). */
import type { Guide, IntentsFile, SynonymsFile } from '../../src/core/guide.ts';
import type { IndexableContent } from '../../src/search/index.ts';

/** A guide with every required field; tests give what matters to them. */
export function makeGuide(p: Pick<Guide, 'id' | 'title' | 'keywords' | 'questions'> & Partial<Guide>): Guide {
  return {
    summary: p.title,
    category: 'test',
    steps: [{ text: 'Làm theo hướng dẫn.' }],
    documents: [],
    where: [],
    contacts: [],
    problems: [],
    links: [{ title: 'Cổng', url: 'https://dichvucong.gov.vn' }],
    sources: ['https://dichvucong.gov.vn'],
    reviewed: '2026-01-01',
    review_every_days: 180,
    related: [],
    en: { title: p.id, summary: p.id, steps: [{ text: 'Follow the steps.' }] },
    ...p,
  };
}

/** Guides about distinct, everyday procedures (plus two close ones, to test clarify). */
export const GUIDES: Guide[] = [
  makeGuide({
    id: 'id-card',
    title: 'Cấp đổi, cấp lại thẻ căn cước',
    keywords: ['làm căn cước', 'cấp lại căn cước', 'mất thẻ căn cước', 'đổi thẻ căn cước'],
    questions: ['làm lại thẻ căn cước bị mất ở đâu', 'đổi căn cước khi đủ 25 tuổi'],
    en: { title: 'Issue or replace an identity card', summary: 'Identity card.', steps: [{ text: 'Go to the police.' }] },
  }),
  makeGuide({
    id: 'vneid-activate',
    title: 'Kích hoạt tài khoản định danh điện tử trên ứng dụng VNeID',
    keywords: ['kích hoạt vneid', 'kích hoạt tài khoản định danh', 'đặt passcode'],
    questions: ['nhận tin nhắn rồi kích hoạt thế nào', 'mật khẩu vneid đặt không được'],
    en: {
      title: 'Activate your electronic ID account in VNeID',
      summary: 'Activate the account.',
      steps: [{ text: 'Open the app and tap activate.' }],
    },
  }),
  makeGuide({
    id: 'marriage',
    title: 'Đăng ký kết hôn',
    keywords: ['đăng ký kết hôn', 'giấy kết hôn'],
    questions: ['đăng ký kết hôn cần giấy tờ gì', 'làm giấy kết hôn ở phường'],
  }),
  makeGuide({
    id: 'exam-conditions',
    title: 'Điều kiện dự thi chứng chỉ hành nghề',
    keywords: ['điều kiện dự thi', 'chứng chỉ hành nghề'],
    questions: ['muốn thi chứng chỉ hành nghề cần điều kiện gì', 'ai được dự thi'],
  }),
  makeGuide({
    id: 'residence-temporary',
    title: 'Đăng ký tạm trú trực tuyến',
    summary: 'Đăng ký cư trú tạm thời khi thuê trọ.',
    keywords: ['tạm trú', 'đăng ký tạm trú', 'thuê trọ'],
    questions: ['sinh viên thuê trọ đăng ký tạm trú', 'gia hạn tạm trú'],
  }),
  makeGuide({
    id: 'residence-permanent',
    title: 'Đăng ký thường trú trực tuyến',
    summary: 'Đăng ký cư trú lâu dài, nhập hộ khẩu.',
    keywords: ['thường trú', 'đăng ký thường trú', 'nhập hộ khẩu'],
    questions: ['nhập hộ khẩu cho vợ', 'chuyển thường trú về quê'],
  }),
  makeGuide({
    id: 'health-card',
    title: 'Tra cứu thẻ bảo hiểm y tế',
    keywords: ['tra cứu thẻ bhyt', 'hạn thẻ bảo hiểm y tế'],
    questions: ['thẻ bhyt còn hạn không', 'xem hạn thẻ bảo hiểm y tế'],
  }),
  makeGuide({
    id: 'scam-warning',
    title: 'Cảnh giác lừa đảo giả danh công an',
    keywords: ['lừa đảo', 'giả danh công an', 'cuộc gọi lừa đảo'],
    questions: ['có người giả công an gọi điện', 'tin nhắn lạ có phải lừa đảo'],
  }),
];

/** Abbreviations and stop words for the tests. */
export const SYNONYMS: SynonymsFile = {
  synonyms: {
    cccd: ['căn cước công dân'],
    bhyt: ['bảo hiểm y tế'],
    dk: ['đăng ký', 'điều kiện'],
    ko: ['không'],
    ntn: ['như thế nào'],
  },
  stopwords: ['ạ', 'ơi', 'thế', 'như thế nào', 'tôi', 'giúp', 'với', 'cho hỏi'],
  subjects: ['VNeID', 'VssID'],
};

/** Intent phrases for the tests. */
export const INTENTS: IntentsFile = {
  intents: {
    handoff: { phrases: ['gặp nhân viên', 'nói chuyện với cán bộ', 'talk to a human'] },
    greeting: { phrases: ['xin chào', 'chào bạn', 'hello'] },
    thanks: { phrases: ['cảm ơn', 'thank you'] },
    'scam-report': { phrases: ['bị lừa', 'bị lừa đảo'] },
  },
};

/** The tiny content, ready for `buildGuideIndex`. */
export const TINY: IndexableContent = { guideList: GUIDES, synonyms: SYNONYMS, intents: INTENTS };
