import { encodePng } from './png.js';

/** The app's accent colour (also `accentColor` in the manifest). */
export const ACCENT = '#0F6CBD';

type Rgba = [number, number, number, number];

/**
 * The Teams app icons, drawn in code: a check mark in a ring. Teams wants a 192×192 colour
 * icon (full-bleed background) and a 32×32 outline icon (white on transparent only).
 */
export function colorIcon(): Buffer {
  return draw(192, hex(ACCENT), [255, 255, 255, 255]);
}

export function outlineIcon(): Buffer {
  return draw(32, [0, 0, 0, 0], [255, 255, 255, 255]);
}

function draw(size: number, background: Rgba, ink: Rgba): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  const c = size / 2;
  const stroke = size * 0.09;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const ring = Math.abs(Math.hypot(px - c, py - c) - size * 0.36) <= stroke / 2;
      const check =
        segment(px, py, size * 0.32, size * 0.52, size * 0.45, size * 0.65) <= stroke / 2 ||
        segment(px, py, size * 0.45, size * 0.65, size * 0.69, size * 0.38) <= stroke / 2;
      pixels.set(ring || check ? ink : background, (y * size + x) * 4);
    }
  }
  return encodePng(size, size, pixels);
}

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function hex(colour: string): Rgba {
  const value = Number.parseInt(colour.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff, 255];
}
