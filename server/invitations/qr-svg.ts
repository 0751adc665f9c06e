// QR encoding from `qrcode` (npm; MIT, widely used and maintained): versions, masks and Reed–Solomon
// error correction are the part not worth writing ourselves. We only draw its module matrix, so that
// the SVG also carries the code in letters beneath the symbol, for typing at an intake desk.
import { create } from 'qrcode';

const QUIET_ZONE = 4;
const CAPTION_HEIGHT = 6;

/**
 * An SVG of a QR code (error correction M) of `text`, with `caption` under it. The caption must be
 * plain ASCII letters, digits and dashes (a share-link code): it is written into the markup as is.
 */
export function qrSvg(text: string, caption: string): string {
  if (!/^[A-Z0-9-]{1,32}$/.test(caption)) throw new Error('the caption must be a share-link code');
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const side = modules.size + 2 * QUIET_ZONE;
  const height = side + CAPTION_HEIGHT;
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col) !== 0) path += `M${String(col + QUIET_ZONE)} ${String(row + QUIET_ZONE)}h1v1h-1z`;
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(side)} ${String(height)}" width="${String(side * 8)}" height="${String(height * 8)}" shape-rendering="crispEdges">`,
    `<rect width="${String(side)}" height="${String(height)}" fill="#ffffff"/>`,
    `<path fill="#000000" d="${path}"/>`,
    `<text x="${String(side / 2)}" y="${String(side + CAPTION_HEIGHT / 2)}" text-anchor="middle" font-family="monospace" font-size="4" fill="#000000">${caption}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The dark modules an SVG from `qrSvg` draws, as "row,col" (for tests: what a scanner would read). */
export function drawnModules(svg: string): Set<string> {
  const drawn = new Set<string>();
  for (const match of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) drawn.add(`${String(Number(match[2]) - QUIET_ZONE)},${String(Number(match[1]) - QUIET_ZONE)}`);
  return drawn;
}

/** The dark modules of the QR code of `text`, as "row,col". */
export function expectedModules(text: string): Set<string> {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const dark = new Set<string>();
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col) !== 0) dark.add(`${String(row)},${String(col)}`);
  }
  return dark;
}
