// Draws the extension icon (a speech bubble with a live dot) at 16/32/48/128 px
// into public/icon/*.png. Pure Node: an anti-aliased signed-distance raster, zlib, PNG chunks.
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

// Signed distances in a 0..1 unit square.
const roundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.max(x0 + r, Math.min(x, x1 - r));
  const cy = Math.max(y0 + r, Math.min(y, y1 - r));
  return Math.hypot(x - cx, y - cy) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const tail = (x, y) => {
  // triangle below the bubble, lower-left
  const inside = y > 0.7 && y < 0.9 && x > 0.22 && x < 0.46 - (y - 0.7) * 1.1;
  return inside ? -0.01 : 0.01;
};

function draw(size) {
  const px = Buffer.alloc(size * (size * 4 + 1));
  const aa = 1 / size;
  for (let j = 0; j < size; j++) {
    px[j * (size * 4 + 1)] = 0;
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      const bubble = Math.min(roundRect(x, y, 0.08, 0.12, 0.92, 0.74, 0.16), tail(x, y));
      const dot = circle(x, y, 0.72, 0.32, 0.1);
      const lines = Math.min(
        roundRect(x, y, 0.2, 0.38, 0.6, 0.46, 0.04),
        roundRect(x, y, 0.2, 0.52, 0.48, 0.6, 0.04),
      );
      const cover = (d) => Math.max(0, Math.min(1, 0.5 - d / aa));
      let [r, g, b, a] = [0, 0, 0, 0];
      const over = (cr, cg, cb, ca) => {
        r = cr * ca + r * (1 - ca);
        g = cg * ca + g * (1 - ca);
        b = cb * ca + b * (1 - ca);
        a = ca + a * (1 - ca);
      };
      over(37, 99, 235, cover(bubble)); // blue bubble
      over(255, 255, 255, cover(lines) * cover(bubble)); // text lines
      over(34, 197, 94, cover(dot)); // green live dot
      const o = j * (size * 4 + 1) + 1 + i * 4;
      px[o] = Math.round(r);
      px[o + 1] = Math.round(g);
      px[o + 2] = Math.round(b);
      px[o + 3] = Math.round(a * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(px)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

mkdirSync("public/icon", { recursive: true });
for (const s of [16, 32, 48, 128]) writeFileSync(`public/icon/${s}.png`, draw(s));
console.log("wrote public/icon/{16,32,48,128}.png");
