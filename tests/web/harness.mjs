// What every browser test shares: the prerequisites (playwright-core, the dockscan
// binary, Debian's Chromium; a missing one fails the test, it is never skipped), TAP-ish
// steps, a temporary store driven through the real dockscan CLI, `dockscan serve` on a
// free loopback port, and a headless Chromium context. Each *.test.mjs file is one
// scenario built from these.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const exe = process.env.DOCKSCAN_EXE;
export const chromiumPath = process.env.DOCKSCAN_CHROMIUM || '/usr/bin/chromium';

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// Sets the test up: checks the prerequisites (and `extraFiles`, [what, path] pairs),
// makes a temporary folder named `prefix…` with a store and key path in it.
export async function harness(prefix, extraFiles = []) {
  let passed = 0;
  let failed = 0;

  // Ends the test: the folder is removed when every step passed (unless
  // DOCKSCAN_KEEP_TMP is set or `keep`), and the exit code says whether all passed.
  function finish(tmp, keep = false) {
    console.log(`${passed} passed, ${failed} failed`);
    if (tmp && !keep && failed === 0 && !process.env.DOCKSCAN_KEEP_TMP) {
      fs.rmSync(tmp, { recursive: true, force: true });
    } else if (tmp) {
      console.log(`kept ${tmp}`);
    }
    process.exit(failed === 0 ? 0 : 1);
  }

  function missing(text) {
    failed += 1;
    console.log(`not ok - ${text}`);
    finish(null);
  }

  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    missing('playwright-core is not installed: run `npm ci --prefix tests/web` ' +
            `(scripts/test does) (${error.code || error.message})`);
  }
  for (const [what, file] of [['DOCKSCAN_EXE (the dockscan binary)', exe],
                              ['Chromium (apt-get install chromium)', chromiumPath],
                              ...extraFiles]) {
    if (!file || !fs.existsSync(file)) {
      missing(`${what} not found at ${file}`);
    }
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = path.join(tmp, 'store.db');
  const key = path.join(tmp, 'store.key');

  async function step(name, fn) {
    try {
      await fn();
      passed += 1;
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`not ok - ${name}\n  ${String(error && error.stack ? error.stack : error).split('\n').join('\n  ')}`);
    }
  }

  // The real CLI on the test's store; a non-zero exit throws with its stderr.
  function dockscan(args, input = '') {
    const result = spawnSync(exe, [...args, '--store', store, '--key-file', key],
                             { input, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`dockscan ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    return result.stdout;
  }

  function auditRows() {
    return dockscan(['audit', 'export', '--format', 'jsonl']).trim().split('\n').map((l) => JSON.parse(l));
  }

  // A phone folder in the test's folder with these files (relative path -> content).
  function writePhone(name, files) {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(tmp, name, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    return path.join(tmp, name);
  }

  // Starts `dockscan serve` on a free port (on the test's store, or with `args` in
  // place of --store and --key-file); `url` resolves with its address.
  function startServer(args = ['--store', store, '--key-file', key]) {
    const server = spawn(exe, ['serve', ...args, '--listen', '127.0.0.1:0'],
                         { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => { stderr += chunk; });
    const url = new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20000);
      server.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    return { server, url };
  }

  // A headless Chromium with its own profile in the test's folder, Swedish locale.
  async function launchBrowser({ width = 1280, height = 900, downloads = false } = {}) {
    const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      acceptDownloads: downloads,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width, height },
      locale: 'sv-SE',
    });
    context.setDefaultTimeout(15000);
    return context;
  }

  return { chromium, tmp, store, key, step, finish, dockscan, auditRows, writePhone,
           startServer, launchBrowser };
}

// A flat 1170x2532 PNG with a few bars: the shape of an iPhone screenshot, which the
// image detectors flag (and so keep a blurred thumbnail of).
export function screenshotPng() {
  const width = 1170;
  const height = 2532;
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
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    const bar = (y > 300 && y < 420) || (y > 600 && y < 720);
    for (let x = 0; x < width; x++) {
      const v = bar && x > 60 && x < 900 ? 60 : 235;
      raw[row + 1 + x * 3] = v;
      raw[row + 2 + x * 3] = v;
      raw[row + 3 + x * 3] = bar ? 250 : v;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
                        chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)),
                        chunk('IEND', Buffer.alloc(0))]);
}
