import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { flowDocument } from '../../flows/tsid-digital-invoice/diagram.js';
import { STEP_IDS } from '../../flows/tsid-digital-invoice/index.js';

describe('docs/flow.md', () => {
  it('is the diagram of the current machine (run `npm run diagram` after changing the flow)', () => {
    expect(readFileSync('docs/flow.md', 'utf8')).toBe(flowDocument());
  });

  it('labels every step id', () => {
    const document = flowDocument();
    for (const step of STEP_IDS) expect(document).toContain(`· ${step}"`);
  });
});
