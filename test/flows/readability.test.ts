import { describe, expect, it } from '@jest/globals';
import { t, type CopyKey } from '../../flows/tsid-digital-invoice/copy.js';
import { it as italian } from '../../flows/tsid-digital-invoice/copy.it.js';
import { gulpease } from './gulpease.js';
import { SAMPLE } from './copy-samples.js';

const scores = (Object.keys(italian) as CopyKey[]).map((key) => ({
  key,
  score: Math.round(gulpease(t('it', key, SAMPLE))),
}));

describe('plain Italian (Gulpease index)', () => {
  it('scores at least 60 for every Italian message', () => {
    const hard = scores.filter(({ score }) => score < 60).map(({ key, score }) => `${key}: ${score}`);
    expect(hard).toEqual([]);
  });

  it('has a median of at least 70 over the prompts (choices, links and titles left out)', () => {
    const prompts = scores
      .filter(({ key }) => !/^(choice|link|status|step)\./.test(key))
      .map(({ score }) => score)
      .sort((a, b) => a - b);
    const median = prompts[Math.floor(prompts.length / 2)];
    console.log(`[figure] gulpease median of ${prompts.length} Italian prompts: ${median} (min ${prompts[0]})`);
    expect(median).toBeGreaterThanOrEqual(70);
  });

  it('computes the index as published', () => {
    // 1 sentence, 4 words, 22 letters: 89 + (300 − 220) / 4 = 109
    expect(gulpease('Il gatto dorme tranquillo.')).toBe(89 + (300 - 10 * 22) / 4);
  });
});
