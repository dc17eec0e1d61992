// End-to-end test of the control loop in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): a supervisor decides "Avvikelse, raderat från telefonen"
// on a photo of a person, the phone is scanned again, and the follow-up list shows
// whether the photo left the phone: verified when it was deleted, "finns kvar" and
// back in the queue when it was not.
//
// The photo is scikit-image's astronaut (a real face; scripts/install-deps unpacks it
// into /var/cache/dockscan/test-photos). Run by CTest with DOCKSCAN_EXE set.

import fs from 'node:fs';
import path from 'node:path';

import { assert, harness } from './harness.mjs';

const photosDir = process.env.DOCKSCAN_PUBLIC_PHOTOS_DIR || '/var/cache/dockscan/test-photos';
const photo = path.join(photosDir, 'skimage', 'astronaut.png');
const password = 'Sommar-Gladan-2026';

const { tmp, step, finish, dockscan, startServer, launchBrowser } =
  await harness('dockscan-loop-', [['the astronaut photo (scripts/install-deps)', photo]]);

// A phone folder as staff leave it: the camera roll with the photo, and a shopping note
// (so that the folder is not empty once the photo is gone).
function writePhone(name) {
  const root = path.join(tmp, name);
  fs.mkdirSync(path.join(root, 'DCIM', '100APPLE'), { recursive: true });
  fs.mkdirSync(path.join(root, 'Notes'), { recursive: true });
  fs.copyFileSync(photo, path.join(root, 'DCIM', '100APPLE', 'IMG_0042.PNG'));
  fs.writeFileSync(path.join(root, 'Notes', 'inkop.txt'), 'Handla mjölk och bröd till kontoret.\n');
  return root;
}

const phoneDeleted = writePhone('phone-deleted');
const phoneKept = writePhone('phone-kept');
const photoFindings = {};
await step('two phones with the same photo of a person are scanned', async () => {
  dockscan(['init']);
  dockscan(['units', 'add', 'Hemtjänst Söder', '--area', 'Hemtjänst']);
  dockscan(['phones', 'add', 'HT-Soder-01', '--unit', 'Hemtjänst Söder']);
  dockscan(['phones', 'add', 'HT-Soder-02', '--unit', 'Hemtjänst Söder']);
  dockscan(['users', 'add', 'karin.lund', '--role', 'supervisor', '--unit', 'Hemtjänst Söder',
            '--display-name', 'Karin Lund'], `${password}\n`);
  const scans = {
    'HT-Soder-01': JSON.parse(dockscan(['scan', phoneDeleted, '--phone', 'HT-Soder-01', '--json'])).scan_id,
    'HT-Soder-02': JSON.parse(dockscan(['scan', phoneKept, '--phone', 'HT-Soder-02', '--json'])).scan_id,
  };
  const findings = JSON.parse(dockscan(['findings', '--json']));
  for (const label of ['HT-Soder-01', 'HT-Soder-02']) {
    photoFindings[label] = findings.filter((f) => f.scan_id === scans[label] && f.item.ref === 'DCIM/100APPLE/IMG_0042.PNG')
      .map((f) => f.id);
    assert(photoFindings[label].length >= 1, `the photo of a person is a finding on ${label}: ${JSON.stringify(findings)}`);
  }
});

const { server, url: urlPromise } = startServer();
let base;
await step('dockscan serve listens on loopback', async () => {
  base = await urlPromise;
});

const context = await launchBrowser();
const page = context.pages()[0] || await context.newPage();

async function text() {
  return page.locator('main').innerText();
}

// The follow-up list's row of a finding: its state (data-state) and its text.
async function followUpRow(findingId) {
  await page.goto(`${base}/uppfoljning`);
  const row = page.locator('tr', { has: page.getByRole('link', { name: `Visa fynd ${findingId}`, exact: true }) });
  assert(await row.count() === 1, `one follow-up row for finding ${findingId}: ${await text()}`);
  return { state: await row.getAttribute('data-state'), text: await row.innerText() };
}

async function decideRemoved(findingId) {
  await page.goto(`${base}/fynd/${findingId}`);
  await page.getByLabel('Avvikelse', { exact: true }).check();
  await page.getByLabel('Raderat från telefonen').check();
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  // Saved: on to the next open item, or back to this one when none is left.
  await page.waitForURL(/\/fynd\/\d+\?sparat=/);
}

await step('the supervisor decides "Avvikelse, raderat från telefonen" on both photos', async () => {
  await page.goto(`${base}/`);
  await page.getByLabel('Användarnamn').fill('karin.lund');
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${base}/granska`);
  for (const id of [...photoFindings['HT-Soder-01'], ...photoFindings['HT-Soder-02']]) {
    await decideRemoved(id);
  }
  await page.goto(`${base}/granska`);
  assert((await text()).includes('Inga fynd väntar på beslut.'), 'the queue is empty after the decisions');
});

await step('the follow-up list is in the menu and waits for the next docking', async () => {
  await page.goto(`${base}/granska`);
  await page.getByRole('link', { name: 'Uppföljning' }).click();
  await page.waitForURL(`${base}/uppfoljning`);
  assert((await page.locator('h1').innerText()) === 'Uppföljning', 'heading');
  const row = await followUpRow(photoFindings['HT-Soder-01'][0]);
  assert(row.state === 'awaiting_check', `awaiting the next docking: ${row.state}`);
  assert(row.text.includes('Väntar på dockning') && row.text.includes('Raderat från telefonen'), row.text);
});

let deletedScan;
await step('the phones are scanned again: one without the photo, one unchanged', async () => {
  fs.rmSync(path.join(phoneDeleted, 'DCIM', '100APPLE', 'IMG_0042.PNG'));
  const deleted = JSON.parse(dockscan(['scan', phoneDeleted, '--phone', 'HT-Soder-01', '--json']));
  deletedScan = deleted.scan_id;
  assert(deleted.removals_verified === photoFindings['HT-Soder-01'].length, JSON.stringify(deleted));
  // Unchanged by size and mtime, and still checked by its content.
  const kept = JSON.parse(dockscan(['scan', phoneKept, '--phone', 'HT-Soder-02', '--json']));
  assert(kept.removals_still_there === photoFindings['HT-Soder-02'].length, JSON.stringify(kept));
  assert(kept.findings === 0, `no duplicate finding for the same photo: ${JSON.stringify(kept)}`);
});

await step('the follow-up list shows the deleted photo as verified, with the date and scan', async () => {
  const row = await followUpRow(photoFindings['HT-Soder-01'][0]);
  assert(row.state === 'verified', `verified: ${row.state}`);
  assert(row.text.includes('Verifierad'), row.text);
  assert(/Borta från telefonen \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(row.text), `date of the check: ${row.text}`);
  assert(row.text.includes(`skanning ${deletedScan}`), `the scan that checked it: ${row.text}`);
  await page.screenshot({ path: path.join(tmp, 'loop-followup.png'), fullPage: true });
});

await step('the photo still on the phone is "finns kvar" and back in the queue', async () => {
  const id = photoFindings['HT-Soder-02'][0];
  const row = await followUpRow(id);
  assert(row.state === 'still_there', `still there: ${row.state}`);
  assert(row.text.includes('Finns kvar') && row.text.includes('öppet igen'), row.text);
  await page.goto(`${base}/granska`);
  const queue = await text();
  assert(queue.includes('HT-Soder-02') && queue.includes('Finns kvar på telefonen'), `marked in the queue: ${queue}`);
  assert(!queue.includes('HT-Soder-01'), 'the verified phone is not in the queue');
  await page.goto(`${base}/fynd/${id}`);
  const detail = await text();
  assert(detail.includes('Finns kvar på telefonen') && detail.includes('Fatta ett nytt beslut'),
         `the finding says why it is open again: ${detail.slice(0, 400)}`);
  await page.screenshot({ path: path.join(tmp, 'loop-queue.png'), fullPage: true });
});

await step('a new decision takes it out of the queue until the next docking checks it', async () => {
  for (const id of photoFindings['HT-Soder-02']) {
    await decideRemoved(id);
  }
  await page.goto(`${base}/granska`);
  assert((await text()).includes('Inga fynd väntar på beslut.'), 'the queue is empty again');
  const row = await followUpRow(photoFindings['HT-Soder-02'][0]);
  assert(row.state === 'awaiting_check', `awaiting the next docking again: ${row.state}`);
  fs.rmSync(path.join(phoneKept, 'DCIM', '100APPLE', 'IMG_0042.PNG'));
  dockscan(['scan', phoneKept, '--phone', 'HT-Soder-02']);
  assert((await followUpRow(photoFindings['HT-Soder-02'][0])).state === 'verified', 'verified at last');
});

await step('viewing the follow-up list is audited', async () => {
  const rows = dockscan(['audit', 'export', '--format', 'jsonl']).trim().split('\n').map((l) => JSON.parse(l));
  assert(rows.some((r) => r.actor === 'karin.lund' && r.action === 'view_followups'), 'view_followups row');
});

await context.close();
server.kill('SIGTERM');
finish(tmp);
