// End-to-end test of the municipality's central review in headless Chromium: two
// stations (norr and söder) sync into one real PostgreSQL 15 (tests/agent/central/
// pg-cluster: TLS with client certificates made here), a supervisor created centrally
// logs in to `dockscan serve --central`, sees both stations' findings with their sealed
// evidence opened, and decides station norr's finding "raderat från telefonen". The
// phone docks next at söder: söder fetches the decision, its scan verifies the removal,
// and the central review shows the finding decided.
//
// Run by CTest with DOCKSCAN_EXE set; everything is set up through the real dockscan CLI.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, exe, harness } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pgCluster = path.join(here, '..', 'agent', 'central', 'pg-cluster');
const password = 'Vinter-Ljus-2026';

const { tmp, step, finish, startServer, launchBrowser } =
  await harness('dockscan-central-', [['the PostgreSQL test cluster script', pgCluster]]);

function run(command, args, input = '') {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}
const dockscan = (args, input = '') => run(exe, args, input);

// The cluster, removed at the end whatever happened.
const created = run(pgCluster, ['create']);
const clusterDir = created.match(/^DIR (\S+)$/m)[1];
const port = created.match(/^PORT (\d+)$/m)[1];
let server;
process.on('exit', () => {
  if (server) server.kill('SIGTERM');
  spawnSync(pgCluster, ['destroy', clusterDir]);
});
const certs = path.join(tmp, 'certs');
function tls(role) {
  if (!fs.existsSync(path.join(certs, `${role}.crt`))) {
    run(pgCluster, ['client', clusterDir, role, certs]);
  }
  return { sslrootcert: path.join(certs, 'ca.crt'), sslcert: path.join(certs, `${role}.crt`),
           sslkey: path.join(certs, `${role}.key`) };
}
function conninfo(role) {
  const t = tls(role);
  return `host=localhost port=${port} dbname=dockscan user=${role} sslmode=verify-full ` +
         `sslrootcert=${t.sslrootcert} sslcert=${t.sslcert} sslkey=${t.sslkey}`;
}
const sql = (query) => run(pgCluster, ['psql', clusterDir, '-At', '-c', query]).trim();

const keys = path.join(tmp, 'keys');
const phone = path.join(tmp, 'phone');
const stations = { norr: {}, soder: {} };
const reviewConfig = path.join(tmp, 'central-review.toml');

await step('the IT admin sets up the central database, two stations and the review server', async () => {
  const owner = conninfo('dockscan_owner');
  dockscan(['central', 'migrate', '--conninfo', owner]);
  dockscan(['central', 'add-station', '--conninfo', owner, '--station', 'norr', '--role', 'station_norr']);
  dockscan(['central', 'add-station', '--conninfo', owner, '--station', 'soder', '--role', 'station_soder']);
  dockscan(['central', 'add-review-role', '--conninfo', owner, '--role', 'review_server']);
  fs.mkdirSync(keys);
  dockscan(['central', 'keygen', '--public', path.join(keys, 'review_public.key'),
            '--secret', path.join(keys, 'review_secret.key')]);
  fs.writeFileSync(path.join(keys, 'fleet.key'), crypto.randomBytes(32), { mode: 0o600 });

  for (const name of Object.keys(stations)) {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    const t = tls(`station_${name}`);
    const config = path.join(dir, 'dockscan.toml');
    fs.writeFileSync(config, [
      '[store]', 'path = "store.db"', 'key_file = "store.key"', '',
      '[[slots]]', 'port = "1-1.1"', 'number = 1', 'label = "Plats 1"', '',
      '[central]', `conninfo = "host=localhost port=${port} dbname=dockscan"`,
      `station = "${name}"`, `role = "station_${name}"`, `sslrootcert = "${t.sslrootcert}"`,
      `sslcert = "${t.sslcert}"`, `sslkey = "${t.sslkey}"`,
      `review_public_key = "${path.join(keys, 'review_public.key')}"`,
      `fleet_key = "${path.join(keys, 'fleet.key')}"`, ''].join('\n'));
    dockscan(['init', '--store', path.join(dir, 'store.db'), '--key-file', path.join(dir, 'store.key')]);
    dockscan(['units', 'add', 'Hemtjänst Norr', '--area', 'Hemtjänst', '--config', config]);
    dockscan(['phones', 'add', 'HT-01', '--serial', 'SER-HT-01', '--unit', 'Hemtjänst Norr',
              '--config', config]);
    stations[name].config = config;
  }
  const t = tls('review_server');
  fs.writeFileSync(reviewConfig, [
    '[central_review]', `conninfo = "host=localhost port=${port} dbname=dockscan"`,
    'role = "review_server"', `sslrootcert = "${t.sslrootcert}"`, `sslcert = "${t.sslcert}"`,
    `sslkey = "${t.sslkey}"`, `review_secret_key = "${path.join(keys, 'review_secret.key')}"`, ''].join('\n'));
});

await step('one phone docks at both stations, and both sync', async () => {
  fs.mkdirSync(path.join(phone, 'Documents'), { recursive: true });
  // Skatteverket's published test number.
  fs.writeFileSync(path.join(phone, 'Documents', 'anteckning.txt'), 'Ring anhörig till 450411-8359 i morgon');
  fs.writeFileSync(path.join(phone, 'Documents', 'inkop.txt'), 'mjölk, bröd');
  for (const name of ['norr', 'soder']) {
    const scanned = JSON.parse(dockscan(['scan', phone, '--phone', 'HT-01', '--config', stations[name].config, '--json']));
    assert(scanned.findings >= 1, `${name} finds the number: ${JSON.stringify(scanned)}`);
    dockscan(['central', 'sync', '--once', '--config', stations[name].config]);
  }
  assert(sql("SELECT count(*) FROM findings WHERE kind = 'personnummer'") === '2', 'both findings are central');
  // norr was registered first: its number is 1. A finding's address is number * 2^40 + id.
  for (const name of ['norr', 'soder']) {
    const [number, local] = sql(`SELECT st.number, f.local_id FROM findings f JOIN stations st ON st.id = f.station_id ` +
                                `WHERE f.station_id = '${name}' AND f.kind = 'personnummer'`).split('|');
    stations[name].finding = Number(BigInt(number) * 2n ** 40n + BigInt(local));
  }
});

await step('the supervisor is created centrally, for the unit both stations have', async () => {
  dockscan(['users', '--central', '--config', reviewConfig, 'add', 'karin.lund', '--role', 'supervisor',
            '--unit', 'Hemtjänst Norr', '--name', 'Karin Lund'], `${password}\n`);
  const listed = dockscan(['users', '--central', '--config', reviewConfig, 'list']);
  assert(listed.includes('karin.lund') && listed.includes('Hemtjänst Norr'), listed);
});

let base;
await step('dockscan serve --central listens on loopback', async () => {
  const started = startServer(['--central', '--config', reviewConfig]);
  server = started.server;
  base = await started.url;
});

const context = await launchBrowser();
const page = context.pages()[0] || await context.newPage();
const text = () => page.locator('main').innerText();

await step('the supervisor sees both stations\' findings, the evidence opened', async () => {
  await page.goto(`${base}/`);
  await page.getByLabel('Användarnamn').fill('karin.lund');
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${base}/granska`);
  const queue = await text();
  assert(queue.includes('HT-01') && queue.includes('Hemtjänst Norr'), `the phone and unit: ${queue.slice(0, 600)}`);
  for (const name of ['norr', 'soder']) {
    assert(await page.locator(`a[href="/fynd/${stations[name].finding}"]`).count() >= 1,
           `the queue links ${name}'s finding ${stations[name].finding}`);
  }
  await page.goto(`${base}/fynd/${stations.norr.finding}`);
  const detail = await text();
  // Named by its station and the id the station gave it, with the station shown.
  const heading = await page.locator('h1').innerText();
  assert(/^Fynd norr-\d+: /.test(heading), `the finding's name: ${heading}`);
  assert(/Station\s+norr/.test(detail), `the station that found it: ${detail.slice(0, 400)}`);
  assert(detail.includes('450411-****'), `the masked number: ${detail.slice(0, 600)}`);
  assert(!detail.includes('450411-8359'), 'never the full number');
  // The item's name is sealed centrally: shown only because the review key opened it.
  assert(detail.includes('anteckning.txt'), `the item, opened with the review key: ${detail.slice(0, 600)}`);
});

await step('she decides norr\'s finding: "Avvikelse, raderat från telefonen"', async () => {
  await page.goto(`${base}/fynd/${stations.norr.finding}`);
  await page.getByLabel('Avvikelse', { exact: true }).check();
  await page.getByLabel('Raderat från telefonen').check();
  await page.getByLabel('Anteckning', { exact: true }).fill('Pratat med Lisa om var anteckningar ska sparas.');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.waitForURL(/\/fynd\/\d+\?sparat=/);
  assert(sql("SELECT count(*) FROM decisions WHERE station_id = 'norr' AND reviewer = 'karin.lund' " +
             "AND actions LIKE '%raderat_fran_telefonen%'") === '1', 'one central decision');
  // The note is sealed to the review key: not in the database in clear.
  assert(sql("SELECT count(*) FROM decisions WHERE note_sealed IS NOT NULL AND " +
             "position(convert_to('Lisa', 'UTF8') in note_sealed) = 0") === '1', 'the note is sealed');
  assert(Number(sql("SELECT count(*) FROM review_audit WHERE actor = 'karin.lund'")) >= 2,
         'her login and decision are audited centrally');
  await page.goto(`${base}/fynd/${stations.norr.finding}`);
  const detail = await text();
  assert(detail.includes('Karin Lund') && detail.includes('Pratat med Lisa'), `the decision in the history: ${detail.slice(0, 900)}`);
  assert(!detail.includes('inget beslut ännu'), `decided, not open: ${detail.slice(0, 300)}`);
});

await step('the phone docks next at söder without the note: the removal is verified there', async () => {
  const fetched = dockscan(['central', 'sync', '--once', '--config', stations.soder.config]);
  assert(fetched.includes('1 central decisions fetched, 1 recorded'), fetched);
  fs.rmSync(path.join(phone, 'Documents', 'anteckning.txt'));
  const rescanned = JSON.parse(dockscan(['scan', phone, '--phone', 'HT-01', '--config', stations.soder.config, '--json']));
  assert(rescanned.removals_verified === 1, JSON.stringify(rescanned));
  dockscan(['central', 'sync', '--once', '--config', stations.soder.config]);
  assert(sql("SELECT count(*) FROM removal_checks WHERE station_id = 'soder' AND result = 'verified'") === '1',
         'söder\'s verification is central');
});

await step('the central review shows söder\'s finding decided, and the queue empty', async () => {
  await page.goto(`${base}/granska`);
  assert((await text()).includes('Inga fynd väntar på beslut.'), `queue: ${(await text()).slice(0, 600)}`);
  await page.goto(`${base}/fynd/${stations.soder.finding}`);
  const detail = await text();
  assert(detail.includes('Raderat från telefonen') && detail.includes('kommunens gemensamma granskning'),
         `söder's finding carries the decision: ${detail.slice(0, 900)}`);
  assert(!detail.includes('inget beslut ännu'), `decided, not open: ${detail.slice(0, 300)}`);
  await page.screenshot({ path: path.join(tmp, 'central-finding.png'), fullPage: true });
});

await step('the central follow-up list shows söder\'s check verified, norr\'s still waiting', async () => {
  await page.goto(`${base}/granska`);
  await page.getByRole('link', { name: 'Uppföljning' }).click();
  await page.waitForURL(`${base}/uppfoljning`);
  const row = async (id) => {
    const found = page.locator('tr', { has: page.getByRole('link', { name: `Visa fynd ${id}`, exact: true }) });
    assert(await found.count() === 1, `one follow-up row for finding ${id}: ${await text()}`);
    return { state: await found.getAttribute('data-state'), text: await found.innerText() };
  };
  const soder = await row(stations.soder.finding);
  assert(soder.state === 'verified' && soder.text.includes('Verifierad'), `söder verified: ${soder.state} ${soder.text}`);
  assert(/Borta från telefonen \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(soder.text), `the date of the check: ${soder.text}`);
  // Norr never saw the phone again: its own copy of the decision waits for a docking there.
  const norr = await row(stations.norr.finding);
  assert(norr.state === 'awaiting_check' && norr.text.includes('Väntar på dockning'), `norr waits: ${norr.state} ${norr.text}`);
  await page.screenshot({ path: path.join(tmp, 'central-followup.png'), fullPage: true });
});

await step('the quality lead, created centrally, has the municipality\'s report', async () => {
  dockscan(['users', '--central', '--config', reviewConfig, 'add', 'eva.kvalitet', '--role', 'quality_lead',
            '--name', 'Eva Kvalitet'], `${password}\n`);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.getByLabel('Användarnamn').fill('eva.kvalitet');
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('header nav').getByRole('link', { name: 'Rapport' }).click();
  await page.waitForURL(`${base}/rapport`);
  const body = await text();
  assert(body.includes('Hemtjänst Norr') && body.includes('Totalt'), `the unit and total: ${body.slice(0, 800)}`);
  assert(!body.includes('450411'), 'no identity number on the report page');
  // The phone (one serial) docked at both stations is one phone of the unit, scanned.
  const row = page.locator('tr', { hasText: 'Hemtjänst Norr' }).first();
  const cells = (await row.innerText()).split('\t').map((c) => c.trim());
  assert(cells[1] === '1', `one phone in Hemtjänst Norr, not one per station: ${cells.join(' | ')}`);
  const download = await page.request.get(`${base}/rapport/csv?period=${encodeURIComponent(
    await page.getByLabel('Period').inputValue())}`);
  assert(download.status() === 200 && (await download.text()).includes('Hemtjänst Norr'),
         `the CSV download: ${download.status()}`);
});

await step('a station\'s role cannot serve the central review', async () => {
  const stationReview = path.join(tmp, 'station-as-review.toml');
  const t = tls('station_norr');
  fs.writeFileSync(stationReview, [
    '[central_review]', `conninfo = "host=localhost port=${port} dbname=dockscan"`,
    'role = "station_norr"', `sslrootcert = "${t.sslrootcert}"`, `sslcert = "${t.sslcert}"`,
    `sslkey = "${t.sslkey}"`, `review_secret_key = "${path.join(keys, 'review_secret.key')}"`, ''].join('\n'));
  const refused = spawnSync(exe, ['serve', '--central', '--config', stationReview, '--listen', '127.0.0.1:0'],
                            { encoding: 'utf8', timeout: 20000 });
  assert(refused.status === 2 && refused.stderr.includes('not a review role'), `${refused.status}: ${refused.stderr}`);
});

await context.close();
finish(tmp);
