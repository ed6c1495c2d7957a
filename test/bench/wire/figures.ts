/** Every number of a report as `[figure] <path>: <value>` lines (the same paths as the JSON). */
export function figureLines(value: unknown, path = ''): string[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => figureLines(inner, path ? `${path}.${key}` : key));
  }
  return typeof value === 'number' ? [`[figure] ${path}: ${value}`] : [];
}
