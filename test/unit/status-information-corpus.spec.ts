import { looksLikeStatusInformation } from '../../src/common/privacy/status-information';
import { type Corpus, en, es, fr, heldOut, type Language } from './status-information.corpus';

const CORPORA: Readonly<Record<Language, Corpus>> = { en, fr, es };
const LANGUAGES = Object.keys(CORPORA) as Language[];

interface Measure {
  precision: number;
  recall: number;
}

/** Precision and recall of the detector on one corpus, a status note being a positive. */
function measure({ status, ordinary }: Corpus): Measure {
  const truePositives = status.filter((text) => looksLikeStatusInformation(text)).length;
  const falsePositives = ordinary.filter((text) => looksLikeStatusInformation(text)).length;
  const warned = truePositives + falsePositives;
  return { precision: warned === 0 ? 1 : truePositives / warned, recall: truePositives / status.length };
}

const rows: string[] = [];
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`.padStart(7);

afterAll(() => {
  // A table for whoever reads the run; lint forbids the console, not the stream.
  process.stdout.write(['', 'status-information detector       precision  recall', ...rows, ''].join('\n'));
});

describe.each(LANGUAGES)('the %s corpus', (language) => {
  const corpus = CORPORA[language];

  it('has at least 45 status and 45 ordinary notes, none in both lists', () => {
    expect(corpus.status.length).toBeGreaterThanOrEqual(45);
    expect(corpus.ordinary.length).toBeGreaterThanOrEqual(45);
    expect(corpus.status.filter((text) => corpus.ordinary.includes(text))).toEqual([]);
  });

  it.each(corpus.status)('warns about %p', (text) => {
    expect(looksLikeStatusInformation(text)).toBe(true);
  });

  it.each(corpus.ordinary)('does not warn about %p', (text) => {
    expect(looksLikeStatusInformation(text)).toBe(false);
  });

  it('has precision and recall of at least 95%', () => {
    const { precision, recall } = measure(corpus);
    rows.push(`  ${language} main corpus                 ${percent(precision)} ${percent(recall)}`);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  // Never tuned against, so it is measured rather than required to be perfect.
  it('has a recall of at least 80% on the held-out notes', () => {
    const { precision, recall } = measure(heldOut[language]);
    rows.push(`  ${language} held out                    ${percent(precision)} ${percent(recall)}`);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });
});
