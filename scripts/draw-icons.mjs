#!/usr/bin/env node
// Draws the project's icon (an envelope under a magnifying glass on a blue tile) at
// 16, 32, 48 and 128 px into icons/. The PNGs are checked in; run this only to change them.
// Shapes are described in a 0..1 square and rasterised with 8x8 supersampling.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const distToSegment = (x, y, ax, ay, bx, by) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
};
const segment = (ax, ay, bx, by, w) => (x, y) => distToSegment(x, y, ax, ay, bx, by) <= w / 2;
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2;
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;

// Layers painted in order: [shape, colour(x, y) -> [r, g, b, a]].
const tile = roundedRect(0.02, 0.02, 0.98, 0.98, 0.2);
const envelope = roundedRect(0.12, 0.22, 0.74, 0.66, 0.05);
const flap = (x, y) => segment(0.14, 0.25, 0.43, 0.47, 0.06)(x, y) || segment(0.43, 0.47, 0.72, 0.25, 0.06)(x, y);
const lensHalo = disc(0.66, 0.64, 0.22);
const lensGlass = disc(0.66, 0.64, 0.145);
const lensRim = ring(0.66, 0.64, 0.145, 0.07);
const handle = segment(0.77, 0.75, 0.9, 0.88, 0.1);

const blue = (x, y) => {
  const t = (x + y) / 2;
  return [Math.round(14 + 20 * t), Math.round(88 + 50 * t), Math.round(170 + 50 * t), 255];
};
const layers = [
  [tile, blue],
  [envelope, () => [255, 255, 255, 255]],
  [flap, () => [22, 104, 190, 255]],
  [lensHalo, blue],
  [lensGlass, () => [214, 236, 255, 255]],
  [lensRim, () => [255, 196, 45, 255]],
  [handle, () => [255, 196, 45, 255]],
];

function render(size) {
  const ss = 8;
  const px = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (pxi + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let colour = null;
          for (const [shape, paint] of layers) if (shape(x, y)) colour = paint(x, y);
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a += colour[3];
          }
        }
      }
      const n = ss * ss;
      const i = (py * size + pxi) * 4;
      const alpha = a / n;
      // Colours are averaged over covered samples only, so edges do not darken.
      const covered = a / 255 || 1;
      px[i] = Math.round(r / covered);
      px[i + 1] = Math.round(g / covered);
      px[i + 2] = Math.round(b / covered);
      px[i + 3] = Math.round(alpha);
    }
  }
  return px;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [16, 32, 48, 128]) {
  writeFileSync(join(here, '..', 'icons', `icon-${size}.png`), png(size, render(size)));
}
console.log('wrote icons/icon-{16,32,48,128}.png');
