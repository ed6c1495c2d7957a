/**
 * The Gulpease readability index for Italian (Lucisano & Piemontese, 1988):
 * 89 + (300 × sentences − 10 × letters) / words. Under 80 is hard for readers with only a
 * primary education, under 60 for those with lower secondary, under 40 for high school.
 * Letters and digits count as letters; a sentence ends at . ! ? or a line break.
 */
export function gulpease(text: string): number {
  const words = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
  if (words.length === 0) return 100;
  const letters = words.join('').replace(/['’]/g, '').length;
  const sentences = Math.max(1, text.split(/[.!?]+(?=\s|$)|\n+/).filter((part) => /[\p{L}\p{N}]/u.test(part)).length);
  return 89 + (300 * sentences - 10 * letters) / words.length;
}
