// End-to-end test of the review UI's roles, one decision per item and its papercuts, in
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core).
//
// The store is prepared with the real dockscan binary: two units, three phones, a
// supervisor, a quality lead and an admin. Each role logs in in its own browser
// context. What a user would notice is checked: what the page shows, what the server
// refuses (not only which links are hidden), where the browser goes after a decision,
// that a refused form keeps what was typed, and that the pages fit a 1024 px screen and
// a 390 px phone without sideways scrolling.
//
// Only Skatteverket's test personnummer and made-up names are used.

import fs from 'node:fs';
import path from 'node:path';

import { assert, chromiumPath, harness, screenshotPng } from './harness.mjs';

const passwords = {
  'anna.berg': 'Vinter-Ekorre-2026',
  'kerstin.q': 'Sommar-Lärka-2026',
  'it.admin': 'Höst-Räven-2026',
};
const newPassword = 'Vår-Tranan-2027';
// Skatteverket's test number 19450411-8359, as staff write it on a phone.
const testNumber = '450411-8359';

const { chromium, tmp, step, finish, dockscan, auditRows, writePhone, startServer } =
  await harness('dockscan-reviewui-');

// A date `days` from today, as a date field takes it (the server checks it against
// today in Sweden; a week's margin keeps the time zones apart).
function dateIn(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

const longPhoto = 'DCIM/100APPLE/IMG_20261120_141502_HDR_PORTRAIT_BURST0001_COVER_SKARMBILD.PNG';
let contact = [];
let note;
let shot;
let other;
let scanTwo;
let twoFindings = [];
await step('prepare a store with the dockscan CLI: three roles, three phones', async () => {
  dockscan(['init']);
  dockscan(['units', 'add', 'Hemtjänst Norr', '--area', 'Hemtjänst']);
  dockscan(['units', 'add', 'LSS Ekbacken', '--area', 'Funktionsstöd']);
  dockscan(['phones', 'add', 'HT-Norr-01', '--unit', 'Hemtjänst Norr']);
  dockscan(['phones', 'add', 'HT-Norr-02', '--unit', 'Hemtjänst Norr']);
  dockscan(['phones', 'add', 'LSS-Ekbacken-04', '--unit', 'LSS Ekbacken']);
  dockscan(['users', 'add', 'anna.berg', '--role', 'supervisor', '--unit', 'Hemtjänst Norr',
            '--name', 'Anna Berg'], `${passwords['anna.berg']}\n`);
  dockscan(['users', 'add', 'kerstin.q', '--role', 'quality_lead', '--name', 'Kerstin Qvist'],
           `${passwords['kerstin.q']}\n`);
  dockscan(['users', 'add', 'it.admin', '--role', 'admin', '--name', 'Ida Admin'],
           `${passwords['it.admin']}\n`);
  const phoneA = writePhone('phone-a', {
    // One contact, two findings: a full name and a personnummer (different severities).
    'Contacts/kontakter.vcf': 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Karin Andersson\r\n' +
      'N:Andersson;Karin;;;\r\nTEL:+46701234567\r\n' +
      `NOTE:Brukare\\, pnr ${testNumber}\r\nEND:VCARD\r\n`,
    // Long words that do not break by themselves, as phones have them: a link beside
    // the number and a camera's file name.
    'Notes/anteckning.txt': `Till kvällspasset: brukarens personnummer ${testNumber}, ` +
      'https://vardsystem.example.se/journal/brukaroversikt/anteckningar/kvallspasset\n',
    [longPhoto]: screenshotPng(),
  });
  const phoneA2 = writePhone('phone-a2', {
    'Notes/vecka.txt': `Nyckel till ${testNumber}, porten har kod.\n`,
    'Notes/helg.txt': `Helgen: ${testNumber} behöver hjälp med inköp.\n`,
  });
  const phoneB = writePhone('phone-b', {
    'Notes/ekbacken.txt': 'Pnr 194504118359 till läkarbesöket på torsdag.\n',
  });
  dockscan(['scan', phoneA, '--phone', 'HT-Norr-01']);
  dockscan(['scan', phoneA2, '--phone', 'HT-Norr-02']);
  dockscan(['scan', phoneB, '--phone', 'LSS-Ekbacken-04']);
  const findings = JSON.parse(dockscan(['findings', '--json']));
  contact = findings.filter((f) => f.item.ref.startsWith('Contacts/kontakter.vcf'));
  note = findings.find((f) => f.item.ref === 'Notes/anteckning.txt');
  shot = findings.find((f) => f.item.ref === longPhoto);
  other = findings.find((f) => f.item.ref === 'Notes/ekbacken.txt');
  twoFindings = findings.filter((f) => f.item.ref === 'Notes/vecka.txt' || f.item.ref === 'Notes/helg.txt');
  assert(contact.length === 2, `the contact has two findings: ${JSON.stringify(findings)}`);
  assert(note && shot && other && twoFindings.length === 2, `findings: ${JSON.stringify(findings)}`);
  scanTwo = twoFindings[0].scan_id;
});

const { server, url: urlPromise } = startServer();
const serverExit = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
let base;
await step('dockscan serve listens on loopback', async () => {
  base = await urlPromise;
  assert(base.startsWith('http://127.0.0.1:'), base);
});

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// A browser window of its own for one person, logged in.
async function loginAs(name, options = {}, password = passwords[name]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', ...options });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await page.goto(`${base}/logga-in`);
  await page.getByLabel('Användarnamn').fill(name);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForLoadState();
  assert(new URL(page.url()).pathname !== '/logga-in', `${name} logged in: ${page.url()}`);
  return { context, page };
}

async function mainText(page) {
  return page.locator('main').innerText();
}

// What the server answers a request from this browser (its cookies), without following
// redirects: the control is on the server, not in the links a page shows.
async function answer(page, method, url, form = {}) {
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const response = method === 'GET'
    ? await page.request.get(url, { maxRedirects: 0 })
    : await page.request.post(url, { form: { csrf, ...form }, maxRedirects: 0 });
  return { status: response.status(), body: await response.text() };
}

// The page's width against the screen's: nothing may scroll sideways. (On a phone the
// window grows to the content, so the screen's width is the measure.)
async function fits(page, url, width) {
  await page.goto(url);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert(scroll <= width && inner <= width, `${url} is ${scroll} px wide on a ${width} px screen`);
  return scroll;
}

const anna = await loginAs('anna.berg');
const page = anna.page;

await step('the queue shows one row per item, with what it is and its picture', async () => {
  await page.goto(`${base}/granska`);
  const body = await mainText(page);
  const row = page.locator('tr', { has: page.getByRole('link', { name: /fynd \d+$/ }) })
    .filter({ hasText: 'Personnummer i kontakt' });
  assert(await row.count() === 1, 'the contact is one row');
  assert((await row.innerText()).includes('Kontakt med fullständigt namn'), 'with both findings\' categories');
  assert((await row.innerText()).includes('Allvarlig avvikelse'), 'and the highest proposed severity');
  assert(await page.getByRole('link', { name: `Granska fynd ${contact[0].id}` }).count() +
         await page.getByRole('link', { name: `Granska fynd ${contact[1].id}` }).count() === 1,
         'one link for the contact, not one per finding');
  assert(body.includes(path.basename(longPhoto)) && /daterad \d{4}-\d\d-\d\d \d\d:\d\d/.test(body),
         'the photo by file name and date, to find it in the gallery');
  const img = page.locator(`img.thumb[src="/fynd/${shot.id}?bild=1"]`);
  await img.waitFor();
  const width = await img.evaluate(async (el) => { await el.decode(); return el.naturalWidth; });
  assert(width > 0, 'the blurred thumbnail loads in the list');
  assert(!body.includes(testNumber), 'never the full number');
});

let nextUrl;
await step('a refused decision keeps every typed field and points at the wrong one', async () => {
  const first = Math.min(contact[0].id, contact[1].id);
  await page.goto(`${base}/fynd/${first}`);
  const body = await mainText(page);
  assert(body.includes('Beslutet gäller alla 2 fynd i samma sak.'), 'one decision for the item');
  assert(/Föreslagen bedömning\s*Allvarlig avvikelse/.test(body), 'the item\'s highest severity proposed');
  const form = page.locator('form[action$="/beslut"]');
  await form.getByLabel('Avvikelse', { exact: true }).check();
  await form.getByLabel('Samtal med medarbetare').check();
  await form.getByLabel('Annan åtgärd').fill('Genomgång av rutinen på APT');
  await form.getByLabel('Uppföljning').fill('2020-03-01');
  await form.getByLabel('Anteckning').fill('Kontakten raderas efter samtalet.');
  await form.getByRole('button', { name: 'Spara beslut' }).click();
  await page.waitForLoadState();
  const followUp = page.locator('#follow_up');
  assert(await followUp.getAttribute('aria-invalid') === 'true', 'the date field is marked');
  const describedBy = await followUp.getAttribute('aria-describedby');
  const message = page.locator(`#${describedBy}`);
  assert(await message.isVisible(), 'the message is visible');
  assert((await message.innerText()).includes('efter i dag'), await message.innerText());
  assert(await followUp.inputValue() === '2020-03-01', 'the date stays as typed');
  assert(await page.locator('#other_action').inputValue() === 'Genomgång av rutinen på APT', 'other action kept');
  assert(await page.locator('#note').inputValue() === 'Kontakten raderas efter samtalet.', 'note kept');
  assert(await page.getByLabel('Avvikelse', { exact: true }).first().isChecked(), 'decision kept');
  assert(await page.getByLabel('Samtal med medarbetare').isChecked(), 'action kept');
  const decided = auditRows().filter((r) => r.action === 'decide');
  assert(decided.length === 0, 'nothing saved');
});

await step('"Ingen avvikelse" with "Raderat från telefonen" is refused at the actions', async () => {
  const form = page.locator('form[action$="/beslut"]');
  await form.getByLabel('Ingen avvikelse', { exact: true }).check();
  await form.getByLabel('Raderat från telefonen').check();
  await form.getByLabel('Uppföljning').fill(dateIn(14));
  await form.getByRole('button', { name: 'Spara beslut' }).click();
  await page.waitForLoadState();
  const actions = page.locator('fieldset[aria-invalid=true]');
  assert(await actions.count() === 1, 'one fieldset marked');
  assert((await actions.locator('legend').innerText()) === 'Åtgärder', 'the actions are marked');
  assert((await actions.innerText()).includes('går inte ihop med'), 'the message is in the fieldset');
});

await step('one decision for the contact\'s two findings, then the next open item', async () => {
  const form = page.locator('form[action$="/beslut"]');
  await form.getByLabel('Avvikelse', { exact: true }).check();
  await form.getByLabel('Raderat från telefonen').check();
  await form.getByLabel('Samtal med medarbetare').uncheck();
  await form.getByLabel('Uppföljning').fill(dateIn(14));
  await form.getByRole('button', { name: 'Spara beslut' }).click();
  await page.waitForURL(/\?sparat=nasta$/);
  nextUrl = page.url();
  const next = Number(new URL(nextUrl).pathname.split('/')[2]);
  assert(!contact.some((f) => f.id === next), `the next item is another: ${nextUrl}`);
  assert((await mainText(page)).includes('Här är nästa fynd som väntar på beslut.'), 'said so');
  assert((await mainText(page)).includes('Öppen – inget beslut ännu'), 'the next one is open');
  const decided = auditRows().filter((r) => r.action === 'decide');
  const ids = decided.map((r) => r.object).sort();
  assert(ids.length === 2 && contact.every((f) => ids.includes(`finding:${f.id}`)),
         `one decision wrote both findings: ${JSON.stringify(ids)}`);
});

await step('the history and lists name the supervisor, not her login', async () => {
  await page.goto(`${base}/fynd/${contact[0].id}`);
  const body = await mainText(page);
  assert(body.includes('Anna Berg') && !body.includes('anna.berg'), 'display name in the history');
  await page.goto(`${base}/beslutade`);
  assert((await mainText(page)).includes('av Anna Berg'), 'display name in Beslutade');
});

await step('the sharper view speaks plainly: no refs, no percentages', async () => {
  await page.goto(`${base}/fynd/${contact[0].id}`);
  await page.getByLabel('Motivering').fill('Oklart om det är en brukare');
  await page.getByRole('button', { name: 'Visa skarpare vy' }).click();
  await page.waitForLoadState();
  const region = await page.getByRole('region', { name: 'Skarpare vy' }).innerText();
  assert(region.includes('Hur säkert'), region);
  assert(!/\d+ %/.test(region) && !region.includes('Säkerhet'), `no percentage: ${region}`);
  assert(!region.includes('Contacts/kontakter.vcf') && !region.includes('text/'), `no internal refs: ${region}`);
});

await step('a scan\'s open findings take one decision on the scan page', async () => {
  await page.goto(`${base}/skanningar/${scanTwo}`);
  const form = page.getByRole('form', { name: 'Samma beslut för alla som väntar' });
  assert((await form.innerText()).includes('Gäller 2 fynd i 2 saker'), await form.innerText());
  await form.getByLabel('Avvikelse', { exact: true }).check();
  await form.getByLabel('Påminnelse på APT').check();
  await form.getByRole('button', { name: 'Spara beslut för alla' }).click();
  await page.waitForURL(`${base}/skanningar/${scanTwo}?sparat=alla`);
  const body = await mainText(page);
  assert(body.includes('Beslutet är sparat för alla fynd som väntade.'), 'confirmation');
  assert(!body.includes('Samma beslut för alla som väntar'), 'nothing left to decide');
  const rows = auditRows();
  assert(twoFindings.every((f) => rows.some((r) => r.action === 'decide' && r.object === `finding:${f.id}`)),
         'a decision for each finding');
  await page.goto(`${base}/granska`);
  assert(!(await mainText(page)).includes('HT-Norr-02'), 'the phone left the queue');
});

await step('the quality lead follows every unit without evidence, and cannot reveal or decide', async () => {
  const { context, page: lead } = await loginAs('kerstin.q');
  await lead.goto(`${base}/granska`);
  const body = await mainText(lead);
  assert(body.includes('LSS-Ekbacken-04') && body.includes('HT-Norr-01'), 'every unit');
  assert(body.includes('Personnummer i anteckning'), 'categories');
  assert(!body.includes('450411-****') && !body.includes('IMG_2026'), 'no evidence in the queue');
  assert(await lead.locator('img.thumb').count() === 0, 'no thumbnails');
  await lead.goto(`${base}/beslutade`);
  const decided = await mainText(lead);
  assert(decided.includes('Raderat från telefonen') && decided.includes('Uppföljning'), 'actions and follow-ups');
  await lead.goto(`${base}/fynd/${other.id}`);
  const finding = await mainText(lead);
  assert(!finding.includes('450411-****') && !finding.includes('läkarbesöket'), 'no evidence on the finding');
  assert(await lead.getByRole('button', { name: 'Spara beslut' }).count() === 0, 'no decision form');
  assert(await lead.getByRole('button', { name: 'Visa skarpare vy' }).count() === 0, 'no sharper view');
  // The server refuses, whatever the page shows.
  const picture = await answer(lead, 'GET', `${base}/fynd/${shot.id}?bild=1`);
  assert(picture.status === 403, `thumbnail: ${picture.status}`);
  const decide = await answer(lead, 'POST', `${base}/fynd/${other.id}/beslut`, { decision: 'ingen_avvikelse' });
  assert(decide.status === 403, `decide: ${decide.status}`);
  const reveal = await answer(lead, 'POST', `${base}/fynd/${other.id}/visa`, { reason: 'nyfiken' });
  assert(reveal.status === 403 && !reveal.body.includes('Hur säkert'), `reveal: ${reveal.status}`);
  const decideAll = await answer(lead, 'POST', `${base}/skanningar/${other.scan_id}/beslut`, { decision: 'ingen_avvikelse' });
  assert(decideAll.status === 403, `decide all: ${decideAll.status}`);
  assert(!auditRows().some((r) => r.actor === 'kerstin.q' && (r.action === 'decide' || r.action === 'reveal')),
         'nothing decided or revealed');
  assert(auditRows().some((r) => r.actor === 'kerstin.q' && r.action === 'access_denied'), 'refusals audited');
  await context.close();
});

await step('the admin sees no client data at all', async () => {
  const { context, page: admin } = await loginAs('it.admin');
  assert(new URL(admin.url()).pathname === '/start', admin.url());
  assert((await mainText(admin)).includes('Administration'), 'the admin\'s start page');
  assert(await admin.getByRole('link', { name: 'Att granska' }).count() === 0, 'no findings links');
  for (const url of ['/granska', '/beslutade', '/skanningar', `/skanningar/${note.scan_id}`,
                     `/fynd/${note.id}`, `/fynd/${shot.id}?bild=1`]) {
    const response = await answer(admin, 'GET', `${base}${url}`);
    assert(response.status === 403, `${url}: ${response.status}`);
    assert(!response.body.includes('HT-Norr-01') && !response.body.includes('450411'), `${url} shows nothing`);
  }
  const decide = await answer(admin, 'POST', `${base}/fynd/${note.id}/beslut`, { decision: 'ingen_avvikelse' });
  assert(decide.status === 403, `decide: ${decide.status}`);
  await context.close();
});

for (const [width, options] of [[1024, { viewport: { width: 1024, height: 768 } }],
                                [390, { viewport: { width: 390, height: 844 }, isMobile: true,
                                        hasTouch: true, deviceScaleFactor: 3 }]]) {
  await step(`the queue, Beslutade and a scan page fit ${width} px without sideways scrolling`, async () => {
    const { context, page: small } = await loginAs('anna.berg', options);
    const widths = [];
    for (const url of ['/granska', '/beslutade', `/skanningar/${note.scan_id}`]) {
      widths.push(await fits(small, `${base}${url}`, width));
    }
    await small.screenshot({ path: path.join(tmp, `reviewui-${width}.png`), fullPage: true });
    console.log(`  widths at ${width} px: ${widths.join(', ')}`);
    await context.close();
  });
}

await step('a password change ends the supervisor\'s open session', async () => {
  await page.goto(`${base}/granska`);
  assert(new URL(page.url()).pathname === '/granska', 'still logged in before');
  dockscan(['users', 'passwd', 'anna.berg'], `${newPassword}\n`);
  await page.goto(`${base}/granska`);
  assert(new URL(page.url()).pathname === '/logga-in', `back at the login: ${page.url()}`);
  assert((await mainText(page)).includes('lösenordet har ändrats'), 'told why');
  const again = await loginAs('anna.berg', {}, newPassword);
  assert(new URL(again.page.url()).pathname === '/granska', 'the new password works');
  await again.context.close();
});

await anna.context.close();
await browser.close();

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
