import type { Choice } from '../../src/engine/index.js';

/** A choice's confirmation dialog, as the flow wrote it (plain text). */
export type ConfirmSpec = NonNullable<Choice['confirm']>;

/**
 * What our `Action.Submit` buttons carry; Teams posts it back as `activity.value`.
 * `label` and `prompt` let the clicked card be redrawn as answered without any state
 * of ours; `origin` is the activity id of the card a confirmation card belongs to.
 */
export type SubmitValue =
  | { tsid: 'choice'; choiceId: string; label?: string; prompt?: string; confirm?: ConfirmSpec }
  | { tsid: 'confirmed'; choiceId: string; label?: string; prompt?: string; origin?: string }
  | { tsid: 'cancelled'; label?: string; prompt?: string };

// Bounds for what comes back from the client: a value is user input like any other.
const ID_MAX = 100;
const LABEL_MAX = 300;
const PROMPT_MAX = 4000;

/**
 * Reads `activity.value` of a card submit. Accepts our own shapes and a bare
 * `{choiceId}`; anything else (wrong types, oversized fields) is undefined.
 */
export function parseSubmitValue(value: unknown): SubmitValue | undefined {
  if (!isRecord(value)) return undefined;
  const label = optionalText(value.label, LABEL_MAX);
  const prompt = optionalText(value.prompt, PROMPT_MAX);
  if (label === null || prompt === null) return undefined;
  if (value.tsid === 'cancelled') return { tsid: 'cancelled', label, prompt };
  const choiceId = optionalText(value.choiceId, ID_MAX);
  if (!choiceId) return undefined;
  if (value.tsid === 'confirmed') {
    const origin = optionalText(value.origin, ID_MAX);
    if (origin === null) return undefined;
    return { tsid: 'confirmed', choiceId, label, prompt, origin };
  }
  if (value.tsid !== undefined && value.tsid !== 'choice') return undefined;
  const confirm = value.confirm === undefined ? undefined : parseConfirm(value.confirm);
  if (confirm === null) return undefined;
  return { tsid: 'choice', choiceId, label, prompt, confirm };
}

function parseConfirm(value: unknown): ConfirmSpec | null {
  if (!isRecord(value)) return null;
  const fields = ['title', 'text', 'yes', 'no'].map((name) => optionalText(value[name], PROMPT_MAX));
  if (fields.some((field) => !field)) return null;
  const [title, text, yes, no] = fields as string[];
  return { title, text, yes, no };
}

/** A string within bounds, undefined when absent, null when malformed. */
function optionalText(value: unknown, max: number): string | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) return null;
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
