// End-to-end test of the quality lead's report page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
//
// It prepares a store with the real dockscan binary (three units in two areas, three
// phones, one moved to another unit, a supervisor, a quality lead and an admin), scans
// two phone folders, starts `dockscan serve`, and works through the report as the
// quality lead would: choose the year, write a comment for a unit, download the PDF
// and the CSV. The CSV must be byte for byte what `dockscan report --format csv`
// writes from the same store, the PDF must be tagged and carry the same figures, and
// each download must be an audited read. Supervisors and admins are refused.
//
// Only Skatteverket's test personnummer and made-up names are used.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { assert, exe, harness } from './harness.mjs';

const password = 'Vinter-Ekorre-2026';
// Skatteverket's test number 19450411-8359, as staff write it on a phone.
const testNumber = '450411-8359';

const { tmp, store, key, step, finish, dockscan, auditRows, writePhone, startServer,
  launchBrowser } =
  await harness('dockscan-web-');


function swedishToday() {
  // The store counts in Swedish dates; sv-SE formats as YYYY-MM-DD.
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

function tool(name, args) {
  const result = spawnSync(name, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${name} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

// Semicolon-separated rows of the report's CSV (no field here holds a quote or a
// separator except the comment, which is quoted).
function csvRecords(buffer) {
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  const split = (line) => {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') { quoted = !quoted; }
      else if (c === ';' && !quoted) { fields.push(field); field = ''; }
      else { field += c; }
    }
    fields.push(field);
    return fields;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((v, i) => [header[i], v])));
}

const today = swedishToday();
const year = today.slice(0, 4);
const comment = 'Norr har gått igenom rutinen för bilder på APT; två telefoner kontrollerades om.';

await step('prepare a store with the dockscan CLI: units, phones with history, people', async () => {
  dockscan(['init']);
  dockscan(['units', 'add', 'Hemtjänst Norr', '--area', 'Hemtjänst']);
  dockscan(['units', 'add', 'Hemtjänst Söder', '--area', 'Hemtjänst']);
  dockscan(['units', 'add', 'LSS Ekbacken', '--area', 'Funktionsstöd']);
  dockscan(['phones', 'add', 'HT-Norr-01', '--unit', 'Hemtjänst Norr', '--from', `${year}-01-01`]);
  dockscan(['phones', 'add', 'HT-Norr-02', '--unit', 'Hemtjänst Norr', '--from', `${year}-01-01`]);
  dockscan(['phones', 'add', 'LSS-Ekbacken-04', '--unit', 'LSS Ekbacken', '--from', `${year}-01-01`]);
  // Moved today: the earlier quarters count it for Norr, this one for Söder.
  dockscan(['phones', 'move', 'HT-Norr-02', '--unit', 'Hemtjänst Söder', '--from', today]);
  const history = JSON.parse(dockscan(['phones', 'history', 'HT-Norr-02', '--json']));
  assert(history.length === 2 && history[1].unit === 'Hemtjänst Söder', JSON.stringify(history));
  dockscan(['users', 'add', 'anna.berg', '--role', 'supervisor', '--unit', 'Hemtjänst Norr',
            '--display-name', 'Anna Berg'], `${password}\n`);
  dockscan(['users', 'add', 'karin.kvalitet', '--role', 'quality_lead',
            '--display-name', 'Karin Kvalitet'], `${password}\n`);
  dockscan(['users', 'add', 'it.admin', '--role', 'admin'], `${password}\n`);
  const phoneA = writePhone('phone-a', {
    'Notes/anteckning.txt': `Till kvällspasset: brukarens personnummer ${testNumber}.\n`,
  });
  const phoneB = writePhone('phone-b', { 'Notes/handla.txt': 'Mjölk, bröd och kaffe.\n' });
  const phoneC = writePhone('phone-c', { 'Notes/schema.txt': 'Möte på torsdag kl 14.\n' });
  dockscan(['scan', phoneA, '--phone', 'HT-Norr-01']);
  dockscan(['scan', phoneB, '--phone', 'LSS-Ekbacken-04']);
  dockscan(['scan', phoneC, '--phone', 'HT-Norr-02']);
});

const { server, url: urlPromise } = startServer();
const serverExit = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
let base;
await step('dockscan serve listens on loopback', async () => {
  base = await urlPromise;
  assert(base.startsWith('http://127.0.0.1:'), base);
});

const context = await launchBrowser({ downloads: true });
const page = context.pages()[0] || await context.newPage();

async function text() {
  return page.locator('main').innerText();
}

async function login(name) {
  await page.goto(`${base}/logga-in`);
  await page.getByLabel('Användarnamn').fill(name);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  // Each role has its own start page (the admin's is /start).
  await page.waitForURL((url) => !url.pathname.startsWith('/logga-in'));
}

async function logout() {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(`${base}/logga-in?utloggad=1`);
}

await step('a supervisor has no report link, and /rapport is refused and audited', async () => {
  await login('anna.berg');
  assert(!(await page.locator('header nav').innerText()).includes('Rapport'), 'no nav link');
  const response = await page.goto(`${base}/rapport`);
  assert(response.status() === 403, `status ${response.status()}`);
  assert((await text()).includes('Rapporten är för kvalitetsansvariga'), 'refusal text');
  const download = await page.goto(`${base}/rapport/csv?period=${year}`);
  assert(download.status() === 403, `download status ${download.status()}`);
  assert(auditRows().some((r) => r.actor === 'anna.berg' && r.action === 'report_denied'),
         'report_denied audited');
  await logout();
});

await step('an admin is refused too: the report is the quality lead\'s', async () => {
  await login('it.admin');
  const response = await page.goto(`${base}/rapport`);
  assert(response.status() === 403, `status ${response.status()}`);
  await logout();
});

await step('the quality lead opens Rapport and chooses the year', async () => {
  await login('karin.kvalitet');
  await page.locator('header nav').getByRole('link', { name: 'Rapport' }).click();
  await page.waitForURL(`${base}/rapport`);
  await page.getByLabel('Period').selectOption(year);
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForURL(`${base}/rapport?period=${year}`);
  assert((await page.locator('h1').innerText()) === `Sekretesskontroll helår ${year}`,
         await page.locator('h1').innerText());
  const body = await text();
  for (const expected of ['Hemtjänst Norr', 'Hemtjänst Söder', 'LSS Ekbacken', 'Summa Hemtjänst',
                          'Totalt', 'Skannade', 'Genomförda', 'Kvartal för kvartal',
                          `${year} K1`, `${year} K4`]) {
    assert(body.includes(expected), `${expected} on the page`);
  }
  assert(!body.includes('450411'), 'no identity number on the report page');
});

await step('the page fits 1024 px and a 390 px phone without scrolling sideways', async () => {
  for (const width of [1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${width} px: the page is ${overflow} px too wide`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step('she writes the comment for Hemtjänst Norr; it is kept and audited', async () => {
  await page.getByLabel('Kommentar för Hemtjänst Norr').fill(comment);
  await page.locator('form', { has: page.getByLabel('Kommentar för Hemtjänst Norr') })
    .getByRole('button', { name: 'Spara kommentar' }).click();
  await page.waitForURL(new RegExp(`/rapport\\?period=${year}&sparad=1`));
  assert((await text()).includes('Kommentaren är sparad.'), 'confirmation');
  assert((await page.getByLabel('Kommentar för Hemtjänst Norr').inputValue()) === comment, 'kept');
  const row = auditRows().find((r) => r.action === 'report_comment');
  assert(row && row.actor === 'karin.kvalitet' && row.object === 'unit:Hemtjänst Norr', JSON.stringify(row));
  assert(!row.detail.includes('APT'), 'the comment\'s text is not repeated in the log');
});

let csvFromUi;
await step('the CSV downloaded from the UI is exactly what dockscan report writes', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Ladda ner CSV (Excel)' }).click(),
  ]);
  assert(download.suggestedFilename() === `sekretesskontroll-${year}.csv`, download.suggestedFilename());
  const file = path.join(tmp, 'ui.csv');
  await download.saveAs(file);
  csvFromUi = fs.readFileSync(file);
  const cli = spawnSync(exe, ['report', '--period', year, '--format', 'csv', '--output', '-',
                              '--store', store, '--key-file', key]);
  assert(cli.status === 0, cli.stderr.toString());
  assert(Buffer.compare(csvFromUi, cli.stdout) === 0,
         `UI and CLI differ:\n${csvFromUi.toString()}\n---\n${cli.stdout.toString()}`);
  const rows = csvRecords(csvFromUi);
  const norr = rows.find((r) => r.Enhet === 'Hemtjänst Norr');
  const soder = rows.find((r) => r.Enhet === 'Hemtjänst Söder');
  const total = rows.find((r) => r.Enhet === 'Totalt');
  // Norr: HT-Norr-01 (scanned, its finding open) and HT-Norr-02 (its quarters before
  // the move); Söder: HT-Norr-02 scanned today, nothing found: completed.
  assert(norr.Telefoner === '2' && norr['Skannade telefoner'] === '1' &&
         norr['Genomförda kontroller'] === '0', JSON.stringify(norr));
  assert(norr.Kommentar === comment, norr.Kommentar);
  assert(soder.Telefoner === '1' && soder['Genomförda kontroller'] === '1', JSON.stringify(soder));
  assert(total.Telefoner === '3' && total['Skannade telefoner'] === '3' &&
         total['Genomförda kontroller'] === '2', JSON.stringify(total));
});

await step('the PDF downloaded from the UI is tagged and carries the same figures', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Ladda ner PDF' }).click(),
  ]);
  assert(download.suggestedFilename() === `sekretesskontroll-${year}.pdf`, download.suggestedFilename());
  const file = path.join(tmp, 'ui.pdf');
  await download.saveAs(file);
  assert(fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', 'a PDF');
  assert(/Tagged:\s+yes/.test(tool('pdfinfo', [file])), 'pdfinfo says Tagged: yes');
  const tree = tool('pdfinfo', ['-struct-text', file]);
  for (const part of ['Document', 'H1', 'Table', 'TH', 'TD', 'Figure', 'Caption']) {
    assert(tree.includes(part), `${part} in the structure tree`);
  }
  const words = tool('pdftotext', [file, '-']).replace(/\s+/g, ' ');
  const total = csvRecords(csvFromUi).find((r) => r.Enhet === 'Totalt');
  const figures = `Totalt ${total.Telefoner} ${total['Skannade telefoner']} ${total['Genomförda kontroller']}`;
  assert(words.includes(figures), `"${figures}" in the PDF`);
  assert(words.includes('Norr har gått igenom rutinen'), 'the comment is in the PDF');
  assert(!words.includes('450411'), 'no identity number in the PDF');
});

await step('each download is an audited read by the quality lead', async () => {
  const reads = auditRows().filter((r) => r.actor === 'karin.kvalitet' && r.action === 'report');
  for (const detail of ['csv; web; units: all', 'pdf; web; units: all']) {
    assert(reads.some((r) => r.object === `period:${year}` && r.detail === detail), `${detail} audited`);
  }
  assert(auditRows().every((r) => !JSON.stringify(r).includes('450411')), 'no identity number in the log');
});

await context.close();

await step('the audit chain is intact', async () => {
  const out = dockscan(['audit', 'verify']);
  assert(/^ok: \d+ rows\n$/.test(out), out);
});

await step('SIGTERM stops the server cleanly', async () => {
  server.kill('SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ code: 'timeout' }), 15000));
  const { code } = await Promise.race([serverExit, timeout]);
  assert(code === 0, `exit ${code}`);
});

finish(tmp, false);
