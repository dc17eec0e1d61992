// End-to-end test of the supervisor's review in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
//
// It prepares a store with the real dockscan binary (two units, two phones, a
// supervisor of the first unit, one scanned phone folder per unit), starts
// `dockscan serve` on a free loopback port, and works through the review as the
// supervisor would. Run by CTest with DOCKSCAN_EXE set; `npm ci --prefix tests/web`
// installs playwright-core first (scripts/test does).
//
// Only Skatteverket's test personnummer and made-up names are used.

import fs from 'node:fs';
import path from 'node:path';

import { assert, harness, screenshotPng } from './harness.mjs';

const password = 'Vinter-Ekorre-2026';
// Skatteverket's test number 19450411-8359, as staff write it on a phone.
const testNumber = '450411-8359';

const { tmp, step, finish, dockscan, auditRows, writePhone, startServer, launchBrowser } =
  await harness('dockscan-web-');

let findingA;
let findingB;
let findingShot;
await step('prepare a store with the dockscan CLI', async () => {
  dockscan(['init']);
  dockscan(['units', 'add', 'Hemtjänst Norr', '--area', 'Hemtjänst']);
  dockscan(['units', 'add', 'LSS Ekbacken', '--area', 'Funktionsstöd']);
  dockscan(['phones', 'add', 'HT-Norr-01', '--serial', '00008030-000A11B22C33', '--unit', 'Hemtjänst Norr']);
  dockscan(['phones', 'add', 'LSS-Ekbacken-04', '--unit', 'LSS Ekbacken']);
  dockscan(['users', 'add', 'anna.berg', '--role', 'supervisor', '--unit', 'Hemtjänst Norr',
            '--display-name', 'Anna Berg'], `${password}\n`);
  const phoneA = writePhone('phone-a', {
    'Notes/anteckning.txt': `Till kvällspasset: brukarens personnummer ${testNumber}, ring dottern vid behov.\n`,
    'DCIM/100APPLE/IMG_0001.JPG': '\xff\xd8\xff',
    'DCIM/100APPLE/IMG_0002.PNG': screenshotPng(),
  });
  const phoneB = writePhone('phone-b', {
    'Notes/ekbacken.txt': 'Pnr 194504118359 till läkarbesöket på torsdag.\n',
  });
  dockscan(['scan', phoneA, '--phone', 'HT-Norr-01']);
  dockscan(['scan', phoneB, '--phone', 'LSS-Ekbacken-04']);
  const findings = JSON.parse(dockscan(['findings', '--json']));
  findingA = findings.find((f) => f.item.ref === 'Notes/anteckning.txt');
  findingB = findings.find((f) => f.item.ref === 'Notes/ekbacken.txt');
  findingShot = findings.find((f) => f.item.ref === 'DCIM/100APPLE/IMG_0002.PNG');
  assert(findingShot, `the screenshot is flagged: ${JSON.stringify(findings)}`);
  assert(findingA && findingB, `one finding per phone expected: ${JSON.stringify(findings)}`);
});

const { server, url: urlPromise } = startServer();
const serverExit = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
let base;
await step('dockscan serve listens on loopback', async () => {
  base = await urlPromise;
  assert(base.startsWith('http://127.0.0.1:'), base);
});

const context = await launchBrowser({ width: 1200, height: 900 });
const page = context.pages()[0] || await context.newPage();
const screenshot = path.join(tmp, 'review-finding.png');

async function text() {
  return page.locator('main').innerText();
}

await step('the start page asks for a login, in Swedish', async () => {
  await page.goto(`${base}/`);
  assert(new URL(page.url()).pathname === '/logga-in', page.url());
  assert(await page.getAttribute('html', 'lang') === 'sv', 'lang="sv" expected');
  assert((await page.locator('h1').innerText()) === 'Logga in', 'heading');
});

await step('the supervisor logs in and sees only her own unit\'s findings', async () => {
  await page.getByLabel('Användarnamn').fill('anna.berg');
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${base}/granska`);
  const body = await text();
  assert(body.includes('Att granska'), 'queue heading');
  assert(body.includes('HT-Norr-01'), 'unit A phone shown');
  assert(!body.includes('LSS-Ekbacken-04'), 'unit B phone must not be shown');
  assert(body.includes('Personnummer i anteckning'), 'Swedish category');
  assert(body.includes('450411-****'), 'masked number');
  assert(!body.includes(testNumber), 'the full number must never be shown');
  assert(body.includes('Ingen bild'), 'thumbnail slot');
  assert((await page.locator('header').innerText()).includes('Anna Berg (Enhetschef)'), 'who is logged in');
  await page.screenshot({ path: path.join(tmp, 'review-queue.png'), fullPage: true });
});

await step('a flagged photo shows its small blurred thumbnail on the finding page', async () => {
  await page.goto(`${base}/fynd/${findingShot.id}`);
  const img = page.locator('img.thumb');
  await img.waitFor();
  const size = await img.evaluate(async (el) => {
    await el.decode();
    return { w: el.naturalWidth, h: el.naturalHeight };
  });
  assert(size.w > 0 && size.h > 0, `the thumbnail loads: ${JSON.stringify(size)}`);
  assert(Math.max(size.w, size.h) <= 96, `at most 96 px: ${JSON.stringify(size)}`);
  // Without the session's cookie the picture is not served.
  const anonymous = await fetch(`${base}/fynd/${findingShot.id}?bild=1`, { redirect: 'manual' });
  assert(anonymous.status !== 200 || !(anonymous.headers.get('content-type') || '').startsWith('image/'),
         'no thumbnail without a login');
  // A blank screen is nothing to act on: decided, so that the queue holds the note alone.
  await page.getByLabel('Ingen avvikelse', { exact: true }).check();
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  // Saved, the browser goes on to the next item that waits for a decision.
  await page.waitForURL(`${base}/fynd/${findingA.id}?sparat=nasta`);
});

await step('every visible form field has a label', async () => {
  await page.goto(`${base}/fynd/${findingA.id}`);
  const unlabeled = await page.$$eval('input:not([type=hidden]), textarea',
                                      (els) => els.filter((e) => e.labels.length === 0).map((e) => e.name));
  assert(unlabeled.length === 0, `unlabeled: ${unlabeled.join(', ')}`);
});

await step('she opens the finding and decides: avvikelse, raderat från telefonen', async () => {
  await page.goto(`${base}/granska`);
  await page.getByRole('link', { name: `Granska fynd ${findingA.id}` }).click();
  await page.waitForURL(`${base}/fynd/${findingA.id}`);
  assert((await text()).includes('Öppen – inget beslut ännu'), 'open before the decision');
  await page.getByLabel('Avvikelse', { exact: true }).check();
  await page.getByLabel('Raderat från telefonen').check();
  await page.getByLabel('Anteckning').fill('Raderat tillsammans med medarbetaren.');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.waitForURL(`${base}/fynd/${findingA.id}?sparat=1`);
  const body = await text();
  assert(body.includes('Beslutet är sparat.'), 'confirmation');
  assert(body.includes('Status: Avvikelse'), `status shows the decision: ${body.slice(0, 400)}`);
  assert(body.includes('Beslutshistorik'), 'history');
  assert(body.includes('Raderat från telefonen'), 'action in the history');
  await page.screenshot({ path: screenshot, fullPage: true });
  assert(fs.statSync(screenshot).size > 10000, 'screenshot written');
});

await step('the decided finding leaves the queue and shows under Beslutade', async () => {
  await page.goto(`${base}/granska`);
  assert((await text()).includes('Inga fynd väntar på beslut.'), 'queue is empty');
  await page.getByRole('link', { name: 'Beslutade' }).click();
  const body = await text();
  assert(body.includes('HT-Norr-01') && body.includes('av Anna Berg'), 'decided list, by display name');
});

await step('the sharper view needs a reason and shows the match across phones', async () => {
  await page.goto(`${base}/fynd/${findingA.id}`);
  await page.getByLabel('Motivering').fill('Kontroll av om numret finns på fler telefoner');
  await page.getByRole('button', { name: 'Visa skarpare vy' }).click();
  const body = await text();
  assert(body.includes('Finns på 1 andra telefon'), 'same number on the other unit\'s phone');
  assert(body.includes('Textgranskning: personnummer'), 'detector, in Swedish');
  assert(!body.includes('text/identity-number') && !body.includes('Notes/anteckning.txt'),
         'no internal codes or refs');
  assert(!body.includes('LSS-Ekbacken-04'), 'the other phone is not named');
});

await step('the decision is in the audit log, without the number', async () => {
  const rows = auditRows();
  const decide = rows.find((r) => r.action === 'decide' && r.object === `finding:${findingA.id}`);
  assert(decide, 'decide row');
  assert(decide.actor === 'anna.berg', decide.actor);
  assert(decide.detail === 'decision=avvikelse actions=raderat_fran_telefonen', decide.detail);
  for (const action of ['login', 'view_queue', 'view_finding', 'reveal']) {
    assert(rows.some((r) => r.actor === 'anna.berg' && r.action === action), `${action} row`);
  }
  assert(rows.every((r) => !JSON.stringify(r).includes('450411')), 'no identity number in the log');
  assert(rows.every((r) => !JSON.stringify(r).includes('medarbetaren')), 'no note text in the log');
});

await step('a POST without the CSRF token is refused (403)', async () => {
  const session = (await context.cookies()).find((c) => c.name === 'dockscan_session');
  assert(session && session.httpOnly && session.sameSite === 'Strict', 'HttpOnly SameSite=Strict cookie');
  const response = await fetch(`${base}/fynd/${findingA.id}/beslut`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: `dockscan_session=${session.value}`,
               'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'decision=ingen_avvikelse',
  });
  assert(response.status === 403, `status ${response.status}`);
  await page.goto(`${base}/fynd/${findingA.id}`);
  assert(!(await text()).includes('Ingen avvikelse av'), 'the decision is unchanged');
  assert(auditRows().some((r) => r.action === 'csrf_rejected'), 'csrf_rejected audited');
});

await step('another unit\'s finding is refused and the attempt audited', async () => {
  const response = await page.goto(`${base}/fynd/${findingB.id}`);
  assert(response.status() === 404, `status ${response.status()}`);
  const body = await text();
  assert(body.includes('Fyndet finns inte'), 'refusal page');
  assert(!body.includes('LSS-Ekbacken-04'), 'nothing of the other phone');
  assert(auditRows().some((r) => r.actor === 'anna.berg' && r.action === 'access_denied' &&
                                 r.object === `finding:${findingB.id}`), 'access_denied audited');
});

await step('she logs out', async () => {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(`${base}/logga-in?utloggad=1`);
  assert((await text()).includes('Du är utloggad.'), 'logged out');
  const response = await page.goto(`${base}/granska`);
  assert(new URL(page.url()).pathname === '/logga-in', `back at the login: ${response.url()}`);
});

await step('six wrong passwords lock the login', async () => {
  let body = '';
  for (let i = 1; i <= 6; i += 1) {
    await page.goto(`${base}/logga-in`);
    await page.getByLabel('Användarnamn').fill('anna.berg');
    await page.getByLabel('Lösenord').fill(`fel-losenord-${i}`);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForLoadState();
    body = await text();
    if (i <= 5) {
      assert(body.includes('Fel användarnamn eller lösenord.'), `attempt ${i}: ${body}`);
    }
  }
  assert(body.includes('För många misslyckade inloggningar. Försök igen om 5 minuter.'), body);
  const rows = auditRows();
  assert(rows.filter((r) => r.action === 'login_failed').length === 5, 'five failed logins audited');
  assert(rows.some((r) => r.action === 'login_locked'), 'locked attempt audited');
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

console.log(`screenshot: ${screenshot}`);
finish(tmp, false);
