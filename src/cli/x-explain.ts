import { buildGuideIndex } from '../search/index.ts';
import { loadBundleOrExit } from './content-dir.ts';
const index = buildGuideIndex(await loadBundleOrExit('content'));
for (const q of process.argv.slice(2)) {
  const e = index.explain(q);
  console.log('\n#', q, '→', e.result.decision, e.result.confidence.toFixed(2), e.result.guides.map((g) => g.id).join(','));
  console.log(' slots:', e.query.slots.map((s) => `${s.alts.map((a) => a.words.map((w) => `${w.term ?? ''}${w.postings ? '' : '∅'}(${w.idf.toFixed(2)})`).join('+')).join('|')} w${s.weight.toFixed(2)}`).join('  '));
  for (const c of e.candidates.slice(0, 3)) console.log(' ', JSON.stringify(c));
}
